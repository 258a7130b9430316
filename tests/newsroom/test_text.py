"""One HTML-to-text converter: show notes, feed titles and a model's answer read alike."""

from digests.llm import to_plain_text
from ingestion.feeds import parse_feed
from ingestion.provenance import description_to_segments
from newsroom.text import html_to_text

NOTES = (
    "<p>Route leaks &amp; BGP<br>explained</p><script>alert('x')</script>"
    "<style>p { color: red }</style><div>If x < y, then <b>y</b> wins</div>"
)


def test_blocks_become_lines_and_hidden_content_is_dropped():
    assert html_to_text(NOTES).splitlines() == [
        "Route leaks & BGP",
        "explained",
        "If x < y, then y wins",
    ]


def test_an_unclosed_paragraph_still_starts_a_new_line():
    assert html_to_text("intro<p>first<p>second") == "intro\nfirst\nsecond"


def test_the_show_notes_transcript_keeps_no_script_text():
    texts = [segment.text for segment in description_to_segments(NOTES)]
    assert texts == ["Route leaks & BGP", "explained", "If x < y, then y wins"]


def test_a_feed_description_and_a_model_answer_read_the_same_text():
    feed = (
        '<rss version="2.0"><channel><title>t</title><item><guid>g1</guid>'
        f"<description><![CDATA[{NOTES}]]></description></item></channel></rss>"
    )
    [episode] = parse_feed(feed.encode()).episodes
    assert episode.description_text == html_to_text(NOTES)
    assert to_plain_text(NOTES) == "Route leaks & BGP explained If x < y, then y wins"
