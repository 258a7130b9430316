"""Scores that separate: the extractive backend's parts and score, on invented episodes.

What a reader notices is the order and the distance: a dense, newsy, clear episode on
the topics we follow scores well above rambling chat about nothing we cover, each part
points the same way, a meeting is not news, and episodes of graded quality get visibly
graded scores rather than all landing near 6. Pure tests: no database, no network.
"""

from __future__ import annotations

import pytest

from articles.transcript_data import Segment
from digests import scoring
from digests.base import SCORE_PARTS, DigestData, TranscriptInput, score_from_parts
from digests.extractive import ExtractiveSummarizer

# A tech news show: a fact, then what it means, on AI, security and the cloud.
NEWS = [
    "OpenAI announced a new model on Tuesday that costs 40 percent less to run.",
    "For developers, that means inference on the same workload gets much cheaper.",
    "Anthropic released its own model the same week, with a far larger context window.",
    "A bigger window lets a model read a whole codebase before it answers a question.",
    "Google reported that its TPU cluster in Iowa trained Gemini 2 in nineteen days.",
    "Training runs that short change how often a lab can ship an improved model.",
    "Microsoft launched a ransomware detection service for Azure customers in March.",
    "It watches for the mass encryption of files that marks the start of an attack.",
    "Mistral raised 600 million euros in funding, the largest round in Europe this year.",
    "The money goes to data centers and to the people who train the models.",
    "Nvidia unveiled the B200 chip, and AWS will offer it in its cloud this quarter.",
    "Renting that hardware by the hour is how most startups will get access to it.",
    "A report from Mandiant found 3,200 exploits of one file transfer vulnerability.",
    "Most of the victims had not applied a patch that was available for months.",
    "Meta released Llama 3 as open source, with 8 and 70 billion parameters.",
    "Anyone can now run a capable model on their own servers without an API.",
]
# Friends chatting about a weekend: no figures, no news, nothing we cover, in long
# rambling sentences padded with filler.
CHAT = [
    (
        "So we went over to my sister's place on the weekend and, you know, we just sort of sat"
        " around in the garden for most of the afternoon talking about this and that."
    ),
    (
        "And I mean the roses were kind of doing their thing, and she kept saying that they "
        "probably needed more water, and I kept saying that they looked fine to me, honestly."
    ),
    (
        "Then at some point we started talking about whether we should maybe cook something, "
        "and, like, nobody could really decide, so we ended up just having some bread and "
        "cheese."
    ),
    (
        "Which was actually really nice, I think, because sometimes you just want to sit there "
        "and not do very much at all, you know what I mean, and that was kind of the whole "
        "idea."
    ),
    (
        "Her neighbour came over later with the dog, and the dog ran around the garden for "
        "ages, and we were all just sort of laughing at it for a good while, which was lovely."
    ),
    (
        "And then it got a bit cold, so we went inside and sat in the kitchen and talked about "
        "the old days and the people we used to know and where they all ended up living."
    ),
    (
        "I don't know, it was one of those days where nothing really happens, but you come home"
        " and you feel like, yeah, that was a good day, basically, and that is about it."
    ),
    (
        "Oh, and on the way back we stopped at that little bakery near the station, the one "
        "with the blue door, you know, but it was closed, so that was a shame really."
    ),
    (
        "My brother said he would have driven us but his car is, like, still making that "
        "strange noise, and nobody knows what it is, so we just took the bus home in the end."
    ),
    (
        "Anyway, we said we would maybe do it again next month, or the one after, depending on "
        "the weather and whether everybody is around, which is always hard to say."
    ),
]
# A design team's weekly meeting: on topic for them, but no news. "First of all" and
# "the first thing" are the ordinals meetings are full of.
MEETING = [
    "Okay, first of all, thanks everyone for coming, let's go through the agenda for today.",
    "The first thing is the remote control, and where we are with the case and the buttons.",
    "We looked at the feedback from the last session and most people wanted fewer buttons on it.",
    "So the proposal is to keep the power, the volume and the channel buttons, and hide the rest.",
    "Right, and the second thing is the material, because plastic is cheaper than rubber here.",
    "If we go with rubber we have to take something else out of the budget to pay for it.",
    "My feeling is that people will hold it every evening, so it should feel good in the hand.",
    (
        "Fine, then let's ask the marketing side how much more they think customers would pay "
        "for that."
    ),
    (
        "The third point is the schedule, and we said we would have a prototype by the end of "
        "the month."
    ),
    (
        "That still looks possible if the drawings are finished this week and nobody changes "
        "the layout again."
    ),
    "First we need the drawings, then the model, and then we can test it with a few users.",
    "Okay, so to sum up, fewer buttons, rubber if the budget allows, and the drawings this week.",
    "Does anyone have anything else they want to raise before we finish?",
    (
        "Only that the users we tested with last time found the small buttons hard to press in "
        "the dark."
    ),
    "Good point, so the buttons we keep should be larger, and maybe they could light up a little.",
    "No, I think that covers it, thanks, and let's meet again at the same time next week.",
]


def digest_of(lines: list[str]) -> DigestData:
    speakers = ("Ana", "Ben")
    segments = [Segment(None, None, speakers[i % 2], line) for i, line in enumerate(lines)]
    transcript = TranscriptInput(segments=segments, language="en")
    return ExtractiveSummarizer().summarize(transcript, language="en")


def test_news_scores_clearly_above_chat_on_every_part():
    news, chat = digest_of(NEWS), digest_of(CHAT)
    for part in SCORE_PARTS:
        assert news.score_parts[part] > chat.score_parts[part], part
    # Clearly: on opposite sides of an ordinary episode (5), and far apart.
    assert news.score > 5 > chat.score
    assert news.score - chat.score >= 4


def test_graded_episodes_get_graded_scores_spread_over_the_scale():
    # Five episodes of sixteen sentences, from all chat to all news, four at a time.
    episodes = [NEWS[:n] + CHAT[: 16 - n] for n in range(0, 17, 4)]
    scores = [digest_of(episode).score for episode in episodes]
    assert all(a < b for a, b in zip(scores, scores[1:])), scores
    assert max(scores) - min(scores) >= 3, scores


def test_a_meeting_is_not_news():
    meeting, news = digest_of(MEETING), digest_of(NEWS)
    # "First of all" and "the first thing" are no announcements.
    assert meeting.score_parts["novelty"] < 5
    assert news.score_parts["novelty"] - meeting.score_parts["novelty"] >= 4
    assert news.score_parts["relevance"] > meeting.score_parts["relevance"]


def test_spelled_out_numbers_count_as_figures():
    spelled = ["Seed funding went up by eighteen percent to about four hundred million."]
    vague = ["Seed funding went up by quite a bit to a rather large amount of money."]
    assert scoring.substance(spelled) > scoring.substance(vague)


def test_speech_restarts_are_not_names():
    # "But We want..." is a speaker starting over, not a company called We.
    restarted = ["But we find that We want it natural, So Well it is what It is."]
    plain = ["But we find that we want it natural, so well it is what it is."]
    assert scoring.substance(restarted) == scoring.substance(plain)


def test_the_overall_score_stays_the_plain_mean_of_the_parts():
    # The calibration lives in how the parts are counted; the score a reader sees is
    # the mean of the parts the page shows, whichever backend gave them.
    parts = {"substance": 9.0, "novelty": 2.0, "clarity": 8.0, "relevance": 5.0}
    assert score_from_parts(parts) == pytest.approx(sum(parts.values()) / len(parts), abs=0.05)
