from app import create_app


def test_unknown_page_is_a_chinese_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)


def test_forbidden_page_is_in_chinese(client, make_user, login):
    login(make_user())
    response = client.get("/admin/")
    assert response.status_code == 403
    assert "没有权限" in response.get_data(as_text=True)


def test_server_error_page_is_in_chinese(db_url):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": db_url, "PROPAGATE_EXCEPTIONS": False})

    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "服务器出错了" in response.get_data(as_text=True)
