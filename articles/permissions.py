"""Who edits articles: one permission, checked the same way by every page."""

from __future__ import annotations

EDIT_PERMISSION = "articles.change_article"


def can_edit(user) -> bool:
    """Whether `user` gets the editor's desk and unpublished pages: staff who may change
    articles. No query for an anonymous or non-staff reader (the permission check is
    only made for staff)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_staff
        and user.has_perm(EDIT_PERMISSION)
    )
