"""Policy documents, notices and news of the office's work (政策文件 · 通知公告 · 工作动态)."""

from app.articles.search import register_article_search


def init_articles() -> None:
    """Public articles in the search index."""
    register_article_search()
