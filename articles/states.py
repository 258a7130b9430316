"""An article's lifecycle: its states, the reasons it is in one, and the moves between them.

The status says where the article is (what readers see follows from it); the reason
code says why, in a word the code can decide by (the hourly retries select by it).
`Article.status_reason` keeps the technical detail that goes with the code (an HTTP
error, a budget's numbers), shown as it was recorded; the sentences editors read are
rendered from the code, in their language.

TRANSITIONS is the one table of what may move where; articles.services.article_transition
refuses anything else. It records what the pipeline and the editors do, nothing more:

    any state                      --transcript stored-->          TRANSCRIBED
    any state                      --no transcript / retry_later /
                                     budget / transcript_failed /
                                     no_transcript_to_summarise--> NEEDS_TRANSCRIPT
    pipeline states                --publish rule-->               PUBLISHED | REVIEW
                                                                   | FAILED | TRANSCRIBED
                                                                     (llm_budget)
    any state                      --editor-->                     PUBLISHED | HIDDEN
                                                                   | REVIEW

NEW is only ever a beginning, DIGESTED is never entered (kept for old rows), and the
publish rule never moves an article an editor published or hid.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NEW = "new", _("New")
    NEEDS_TRANSCRIPT = "needs_transcript", _("Needs transcript")
    TRANSCRIBED = "transcribed", _("Transcribed")
    DIGESTED = "digested", _("Digested")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    FAILED = "failed", _("Failed")
    HIDDEN = "hidden", _("Hidden")


class Reason(models.TextChoices):
    """Why an article is in its status. The empty code: nothing to explain (a transcript
    was stored, the article was published)."""

    NONE = "", _("(none)")
    # The transcript step (ingestion).
    NO_TRANSCRIPT = "no_transcript", _("No transcript found")
    RETRY_LATER = "retry_later", _("Transcript failed for now, will be retried")
    BUDGET = "budget", _("Transcript waits for a budget")
    TRANSCRIPT_FAILED = "transcript_failed", _("Transcript step failed")
    TRANSCRIPT_KEPT = "transcript_kept", _("New transcript failed, old one kept")
    # The digest step and the publish rule (digests).
    NO_TRANSCRIPT_TO_SUMMARISE = "no_transcript_to_summarise", _("No transcript to summarise")
    LLM_BUDGET = "llm_budget", _("Digest waits for the LLM budget")
    NO_DIGEST = "no_digest", _("No digest written")
    DIGEST_FAILED = "digest_failed", _("Digest failed")
    PUBLISH_RULE = "publish_rule", _("Held by the publish rule")
    # Editors.
    UNPUBLISHED_BY_EDITOR = "unpublished_by_editor", _("Unpublished by an editor")
    SENT_BACK_BY_EDITOR = "sent_back_by_editor", _("Sent back to review by an editor")


ANY = frozenset(Status)
# Where the pipeline runs the publish rule: not on what an editor published or hid.
PIPELINE = ANY - {Status.PUBLISHED, Status.HIDDEN}

# (to, reason) -> the states it may come from. A pair that is not here is refused.
TRANSITIONS: dict[tuple[Status, Reason], frozenset[Status]] = {
    # ingestion: a transcript was stored (or replaced, as an editor asked).
    (Status.TRANSCRIBED, Reason.NONE): ANY,
    # ingestion: no transcript (yet). An article with none may be in any state (an
    # editor may publish or hide an episode before its transcript is in).
    (Status.NEEDS_TRANSCRIPT, Reason.NO_TRANSCRIPT): ANY,
    (Status.NEEDS_TRANSCRIPT, Reason.RETRY_LATER): ANY,
    (Status.NEEDS_TRANSCRIPT, Reason.BUDGET): ANY,
    (Status.NEEDS_TRANSCRIPT, Reason.TRANSCRIPT_FAILED): ANY,
    # digests: asked to write digests for an article without a transcript.
    (Status.NEEDS_TRANSCRIPT, Reason.NO_TRANSCRIPT_TO_SUMMARISE): ANY,
    # digests: the publish rule.
    (Status.TRANSCRIBED, Reason.LLM_BUDGET): PIPELINE,
    (Status.FAILED, Reason.NO_DIGEST): PIPELINE,
    (Status.FAILED, Reason.DIGEST_FAILED): PIPELINE,
    (Status.REVIEW, Reason.PUBLISH_RULE): PIPELINE,
    # The publish rule (from PIPELINE) and editors (from anywhere) publish alike.
    (Status.PUBLISHED, Reason.NONE): ANY,
    # editors.
    (Status.HIDDEN, Reason.UNPUBLISHED_BY_EDITOR): ANY,
    (Status.REVIEW, Reason.SENT_BACK_BY_EDITOR): ANY,
}

# The moves an editor makes (the admin's actions and form, the desk's buttons), each
# with the reason it records.
EDITOR_MOVES: dict[Status, Reason] = {
    Status.PUBLISHED: Reason.NONE,
    Status.HIDDEN: Reason.UNPUBLISHED_BY_EDITOR,
    Status.REVIEW: Reason.SENT_BACK_BY_EDITOR,
}

# Reasons recorded without a move: the article keeps its status (and its transcript).
NOTES = frozenset({Reason.TRANSCRIPT_KEPT})

# What the hourly retry takes up again (ingestion.tasks.retry_waiting_transcripts).
RETRIED = frozenset({Reason.RETRY_LATER, Reason.BUDGET})


class InvalidTransition(ValueError):
    """A move the table does not have."""

    def __init__(self, article_id, current, to, reason):
        # Plain strings: a choice's repr says its class, not its value.
        current, to, reason = str(current), str(to), str(reason)
        self.article_id, self.current, self.to, self.reason = article_id, current, to, reason
        super().__init__(
            f"article {article_id}: no transition from {current!r} to {to!r} "
            f"with reason {reason!r} (articles/states.py TRANSITIONS)"
        )


def allowed_from(to: str, reason: str) -> frozenset[Status]:
    """The states an article may move to `to` from with `reason` (empty: none)."""
    return TRANSITIONS.get((Status(to), Reason(reason)), frozenset())


def check_transition(article_id, current: str, to: str, reason: str) -> None:
    if current not in allowed_from(to, reason):
        raise InvalidTransition(article_id, current, to, reason)


# The English words the services used to record before the codes, kept for the logs and
# the commands' output, which operators read (and grep) as before.
_LOG_OPENINGS = {
    Reason.RETRY_LATER: "will retry: ",
    Reason.BUDGET: "waiting: ",
    Reason.TRANSCRIPT_KEPT: "transcript kept; the new attempt failed: ",
}
_LOG_WORDS = {
    Reason.UNPUBLISHED_BY_EDITOR: "unpublished by an editor",
    Reason.SENT_BACK_BY_EDITOR: "sent back to review by an editor",
    Reason.NO_TRANSCRIPT_TO_SUMMARISE: "no transcript to summarise",
    Reason.NO_DIGEST: "no digest",
}


def log_message(reason: str, detail: str) -> str:
    """The reason and its detail in one line of English, for logs and command output."""
    if reason in _LOG_WORDS and not detail:
        return _LOG_WORDS[reason]
    return _LOG_OPENINGS.get(reason, "") + detail
