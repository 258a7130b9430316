"""French throughout: the starting topics' descriptions in French (a data migration), and
tags shown with the French label an editor gave them, the tag's name otherwise; a new
label shows at once, cached pages included."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from tests.factories import make_article
from tests.performance.helpers import form_data
from topics.defaults import DEFAULT_TOPICS
from topics.models import TagLabel, Topic, tag_label

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("topics.migrations.0003_french_descriptions")


# --- topics ------------------------------------------------------------------------------------


def test_every_starting_topic_has_a_french_description():
    for item in DEFAULT_TOPICS:
        topic = Topic.objects.get(slug=item["slug"])
        assert topic.description_en == item["description"]
        assert topic.description_fr == item["description_fr"]
        assert topic.description_fr != topic.description_en


def test_the_migration_keeps_what_an_editor_wrote():
    ai, cloud, crypto = (Topic.objects.get(slug=s) for s in ("ai", "cloud", "crypto"))
    Topic.objects.filter(pk=ai.pk).update(description_fr="", description_en="Rewritten.")
    Topic.objects.filter(pk=cloud.pk).update(description_fr="Écrit par la rédaction.")
    Topic.objects.filter(pk=crypto.pk).update(description_fr="")
    MIGRATION.fill_french_descriptions(apps, None)
    assert Topic.objects.get(pk=ai.pk).description_fr == ""  # its French would not match
    assert Topic.objects.get(pk=cloud.pk).description_fr == "Écrit par la rédaction."
    assert Topic.objects.get(pk=crypto.pk).description_fr.startswith("Bitcoin, Ethereum")
    MIGRATION.clear_french_descriptions(apps, None)
    assert Topic.objects.get(pk=crypto.pk).description_fr == ""
    assert Topic.objects.get(pk=cloud.pk).description_fr == "Écrit par la rédaction."


@pytest.mark.parametrize(
    ("path", "expected", "absent"),
    [
        ("/topics/", "Breaches, vulnerabilities, privacy and defence.", "Fuites de données"),
        ("/fr/topics/", "Fuites de données, failles, vie privée et défense.", "Breaches"),
        ("/topics/hardware/", "Chips, devices, phones", "Puces, appareils"),
        ("/fr/topics/hardware/", "Puces, appareils, téléphones", "Chips, devices"),
    ],
)
def test_topic_pages_describe_topics_in_the_pages_language(client, path, expected, absent):
    html = client.get(path).content.decode()
    assert expected in html and absent not in html


# --- tags ----------------------------------------------------------------------------------------


@pytest.fixture
def tagged(db):
    return make_article(
        title="Phones run models", slug="phones-run-models", tags=("chips", "Nvidia")
    )


def tag_links(html: str) -> list[str]:
    block = re.search(r'<ul class="tags".*?</ul>', html, re.S).group(0)
    return sorted(re.findall(r">#([^<]+)</a>", block))


def test_tag_label_falls_back_to_the_name():
    tag = Tag.objects.create(name="chips")
    assert tag_label(tag, "fr") == "chips"
    TagLabel.objects.create(tag=tag, name_fr="  ")
    assert tag_label(Tag.objects.get(pk=tag.pk), "fr") == "chips"
    TagLabel.objects.filter(tag=tag).update(name_fr="puces")
    tag = Tag.objects.select_related("label").get(pk=tag.pk)
    assert tag_label(tag, "fr") == "puces"
    assert tag_label(tag, "en") == "chips"


def test_french_pages_show_the_french_label_english_the_name(client, tagged):
    TagLabel.objects.create(tag=Tag.objects.get(name="chips"), name_fr="puces")
    english = client.get("/articles/phones-run-models/").content.decode()
    french = client.get("/fr/articles/phones-run-models/").content.decode()
    assert tag_links(english) == ["Nvidia", "chips"]
    assert tag_links(french) == ["Nvidia", "puces"]  # no label: the name
    # The link still searches by the tag's name, which is what the index holds.
    assert 'href="/fr/search/?q=chips">#puces</a>' in french


def test_labels_cost_no_query_per_tag(client, tagged):
    for name in ("one", "two", "three", "four"):
        tagged.tags.add(name)
        TagLabel.objects.create(tag=Tag.objects.get(name=name), name_fr=f"{name}-fr")
    client.get("/fr/articles/phones-run-models/")  # warm what is cached per process
    with CaptureQueriesContext(connection) as queries:
        client.get("/fr/articles/phones-run-models/")
    tag_queries = [q["sql"] for q in queries if "topics_taglabel" in q["sql"]]
    assert len(tag_queries) == 1, tag_queries


def test_a_new_label_shows_at_once_on_cached_pages(settings, tagged):
    settings.PAGE_CACHE = True
    url = "/fr/articles/phones-run-models/"
    reader = Client()
    assert tag_links(reader.get(url).content.decode()) == ["Nvidia", "chips"]
    assert tag_links(reader.get(url).content.decode()) == ["Nvidia", "chips"]  # cached
    label = TagLabel.objects.create(tag=Tag.objects.get(name="chips"), name_fr="puces")
    assert tag_links(Client().get(url).content.decode()) == ["Nvidia", "puces"]
    label.name_fr = "semi-conducteurs"
    label.save()
    assert tag_links(Client().get(url).content.decode()) == ["Nvidia", "semi-conducteurs"]
    label.delete()
    assert tag_links(Client().get(url).content.decode()) == ["Nvidia", "chips"]
    # The English page never changed.
    assert tag_links(Client().get("/articles/phones-run-models/").content.decode()) == [
        "Nvidia",
        "chips",
    ]


def test_editors_write_the_french_label_on_the_tags_admin_page(django_user_model, tagged):
    editor = django_user_model.objects.create_user("ed", "ed@example.org", "x", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    assert editor.has_perms(["topics.add_taglabel", "topics.change_taglabel"])
    client = Client()
    client.force_login(editor, backend="django.contrib.auth.backends.ModelBackend")
    tag = Tag.objects.get(name="chips")
    url = f"/admin/taggit/tag/{tag.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="label-0-name_fr"' in page.content.decode()
    data = form_data(page.content, "tag_form")
    data["label-0-name_fr"] = ["puces"]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert TagLabel.objects.get(tag=tag).name_fr == "puces"
    listing = client.get("/admin/taggit/tag/?q=puces").content.decode()
    assert "puces" in listing and f"/admin/taggit/tag/{tag.pk}/change/" in listing
