"""Who may read an article that is not public yet, and write articles."""

from app.accounts.models import User
from app.articles.models import Article
from app.articles.services import is_public


def can_manage_articles(user: User) -> bool:
    return user.is_authenticated and user.is_admin


def can_read_article(user: User, article: Article) -> bool:
    """Everyone once it is public; before and after, the office."""
    return is_public(article) or can_manage_articles(user)
