"""An article's reason as a code beside its detail (issue 18): the code is what the
retries select by; status_reason keeps only the technical detail.

Existing rows get their code from the words the services recorded before. The mapping
is written out here (a migration carries its own data), as those words were.
"""

from django.db import migrations, models

# Whole messages that were a reason with no detail.
WHOLE = {
    "unpublished by an editor": "unpublished_by_editor",
    "sent back to review by an editor": "sent_back_by_editor",
    "no transcript to summarise": "no_transcript_to_summarise",
    "no digest": "no_digest",
}
# Openings followed by the detail. "transcript kept" comes first: what follows it may
# itself begin with another opening, and stays in the detail as it was.
OPENINGS = [
    ("transcript kept; the new attempt failed: ", "transcript_kept"),
    ("will retry: ", "retry_later"),
    ("waiting: ", "budget"),
]
# Any other words, by the status they were recorded with.
BY_STATUS = {
    "needs_transcript": "no_transcript",
    "transcribed": "llm_budget",
    "failed": "digest_failed",
    "review": "publish_rule",
}


def code_and_detail(status: str, message: str) -> tuple[str, str]:
    """(reason code, detail) for an article's status and its recorded message."""
    message = message or ""
    if message in WHOLE:
        return WHOLE[message], ""
    for opening, code in OPENINGS:
        if message.startswith(opening):  # the old words, read once here
            return code, message[len(opening) :]
    if not message:
        return "", ""
    return BY_STATUS.get(status, ""), message


def fill_codes(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    db = schema_editor.connection.alias
    rows = Article.objects.using(db).exclude(status_reason="").only("status", "status_reason")
    for article in rows.iterator(chunk_size=500):
        code, detail = code_and_detail(article.status, article.status_reason)
        Article.objects.using(db).filter(pk=article.pk).update(
            status_code=code, status_reason=detail
        )


def fill_messages(apps, schema_editor):
    """Back to the words, so that the previous code reads what it wrote."""
    openings = {code: opening for opening, code in OPENINGS}
    whole = {code: message for message, code in WHOLE.items()}
    Article = apps.get_model("articles", "Article")
    db = schema_editor.connection.alias
    for article in Article.objects.using(db).exclude(status_code="").iterator(chunk_size=500):
        if article.status_code in whole and not article.status_reason:
            message = whole[article.status_code]
        else:
            message = openings.get(article.status_code, "") + article.status_reason
        Article.objects.using(db).filter(pk=article.pk).update(status_reason=message)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_move_models_out_finish"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="status_code",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "(none)"),
                    ("no_transcript", "No transcript found"),
                    ("retry_later", "Transcript failed for now, will be retried"),
                    ("budget", "Transcript waits for a budget"),
                    ("transcript_failed", "Transcript step failed"),
                    ("transcript_kept", "New transcript failed, old one kept"),
                    ("no_transcript_to_summarise", "No transcript to summarise"),
                    ("llm_budget", "Digest waits for the LLM budget"),
                    ("no_digest", "No digest written"),
                    ("digest_failed", "Digest failed"),
                    ("publish_rule", "Held by the publish rule"),
                    ("unpublished_by_editor", "Unpublished by an editor"),
                    ("sent_back_by_editor", "Sent back to review by an editor"),
                ],
                db_default="",
                db_index=True,
                default="",
                max_length=40,
                verbose_name="status reason code",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="status_reason",
            field=models.TextField(blank=True, verbose_name="status detail"),
        ),
        migrations.RunPython(fill_codes, fill_messages, elidable=True),
    ]
