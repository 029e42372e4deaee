"""The open-data API: `app.api.views.bp` ("api", at /api/v1), registered in `create_app()`."""
