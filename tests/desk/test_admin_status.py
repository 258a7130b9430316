"""The article's change form in the admin follows the same table of moves as every
other write of a status (articles/states.py): an editor may publish, hide or send an
article back to review, and the reason goes with the move; the pipeline's statuses
are refused with a sentence, and nothing is saved."""

from __future__ import annotations

import pytest

from articles.models import Article
from tests.ingestion.transcripts.admin_form import form_data

pytestmark = pytest.mark.django_db


def _post_status(editor_client, article: Article, status: str):
    url = f"/admin/articles/article/{article.pk}/change/"
    page = editor_client.get(url)
    assert page.status_code == 200
    data = form_data(page.content.decode(), "article_form")
    data["status"] = [status]
    return editor_client.post(url, data)


def test_an_editor_hides_an_article_and_the_reason_is_recorded(editor_client, review_article):
    response = _post_status(editor_client, review_article, Article.Status.HIDDEN)
    assert response.status_code == 302, response.content[:3000]
    review_article.refresh_from_db()
    assert review_article.status == Article.Status.HIDDEN
    assert review_article.status_code == Article.Reason.UNPUBLISHED_BY_EDITOR


def test_a_pipeline_status_cannot_be_chosen_by_hand(editor_client, review_article):
    response = _post_status(editor_client, review_article, Article.Status.TRANSCRIBED)
    assert response.status_code == 200  # the form again, with the error
    assert "set by the pipeline" in response.content.decode()
    review_article.refresh_from_db()
    assert review_article.status == Article.Status.REVIEW
