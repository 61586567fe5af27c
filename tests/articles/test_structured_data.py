import json
import re
from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile

from articles.structured_data import json_ld_script
from tests.factories import image_bytes, make_article, make_author, make_image, make_page, make_publisher

pytestmark = pytest.mark.django_db


class _HeadParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta, self.links, self.json_ld, self._in_ld = {}, [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta.setdefault(attrs.get("property") or attrs.get("name"), []).append(attrs.get("content"))
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld[-1] += data


def head_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parser = _HeadParser()
    parser.feed(response.content.decode())
    parser.json_ld = [json.loads(block) for block in parser.json_ld]
    return parser


def canonical(parser):
    (link,) = [link for link in parser.links if link.get("rel") == "canonical"]
    return link["href"]


@pytest.fixture
def policies(publication):
    return {
        kind: make_page(title=f"{kind.title()} page", slug=f"{kind}-page", kind=kind)
        for kind in ["about", "contact", "privacy", "corrections", "ethics"]
    }


@pytest.fixture
def story(publication, section):
    ada = make_author(name="Ada Reporter", slug="ada", title="Tokyo correspondent")
    article = make_article(
        headline="Ministers meet",
        dek="They met at the Pentagon.",
        section=section,
        authors=[ada, make_author(name="Bo Writer", slug="bo")],
        tags=["Japan", "Defence"],
        image=make_image(image_bytes(size=(1600, 900), format="JPEG"), alt="Two ministers shake hands"),
    )
    return article


def test_article_json_ld_is_a_news_article_in_a_periodical_with_the_issn(client, story, policies):
    (data,) = head_of(client, story.get_absolute_url()).json_ld
    url = "http://testserver" + story.get_absolute_url()
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Ministers meet"
    assert data["description"] == "They met at the Pentagon."
    assert data["datePublished"] == story.published_at.isoformat()
    assert data["dateModified"]
    assert [a["name"] for a in data["author"]] == ["Ada Reporter", "Bo Writer"]
    assert data["author"][0] == {
        "@type": "Person",
        "name": "Ada Reporter",
        "url": "http://testserver/author/ada/",
        "jobTitle": "Tokyo correspondent",
    }
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["isAccessibleForFree"] is True
    assert data["isPartOf"]["@type"] == "Periodical"
    assert data["isPartOf"]["issn"] == "2330-717X"
    assert data["isPartOf"]["name"] == "The Test Gazette"
    assert data["keywords"] == ["Japan", "Defence"]
    assert data["articleSection"] == story.section.name
    # Google's three ratios, cropped around the focal point: 16x9, 4x3 and 1x1.
    wide, standard, square = data["image"]
    # A 16:9 photo's 16:9 crop is the photo itself: it shares the files of its own renditions.
    assert wide == "http://testserver" + story.image.crop("wide").largest.url
    assert wide.startswith("http://testserver/media/renditions/") and wide.endswith("-1600w.jpg")
    assert standard.endswith("/standard-1200w.jpg")  # 4:3 of a 1600×900 picture is 1200×900
    assert square.endswith("/square-900w.jpg")  # 900×900: never enlarged to 1200


def test_publisher_is_a_news_media_organization_pointing_at_the_policies(client, story, policies):
    (data,) = head_of(client, story.get_absolute_url()).json_ld
    publisher = data["publisher"]
    assert publisher["@type"] == "NewsMediaOrganization"
    assert publisher["name"] == "The Test Gazette"
    assert publisher["correctionsPolicy"] == "http://testserver/corrections-page/"
    assert publisher["ethicsPolicy"] == "http://testserver/ethics-page/"
    assert publisher["publishingPrinciples"] == "http://testserver/ethics-page/"
    assert publisher["actionableFeedbackPolicy"] == "http://testserver/contact-page/"


def test_publisher_logo_is_included_when_set(client, story, publication):
    publication.logo.save("logo.png", ContentFile(image_bytes(size=(600, 60))), save=True)
    (data,) = head_of(client, story.get_absolute_url()).json_ld
    assert data["publisher"]["logo"]["@type"] == "ImageObject"
    assert data["publisher"]["logo"]["url"].startswith("http://testserver/media/publication/logo")


def test_missing_policies_and_issn_are_left_out_not_empty(client, publication, section):
    publication.issn = ""
    publication.save()
    (data,) = head_of(client, make_article(section=section).get_absolute_url()).json_ld
    assert "issn" not in data["isPartOf"]
    assert "correctionsPolicy" not in data["publisher"]
    assert "" not in json.dumps(data).split('"')[1::2]  # no empty strings anywhere


def test_syndicated_article_credits_its_source(client, publication, section):
    wire = make_publisher(name="DoD News", slug="dod", website="https://www.defense.gov/News/")
    article = make_article(section=section, publisher=wire, original_url="https://www.defense.gov/News/story/")
    (data,) = head_of(client, article.get_absolute_url()).json_ld
    assert data["author"] == [{"@type": "Organization", "name": "DoD News", "url": "https://www.defense.gov/News/"}]
    assert data["sourceOrganization"]["name"] == "DoD News"
    assert data["isBasedOn"] == "https://www.defense.gov/News/story/"


def test_content_cannot_break_out_of_the_json_ld_script(client, publication, section):
    nasty = '</script><script>alert("x")</script><!-- & \u2028'
    article = make_article(headline=nasty, dek=nasty, section=section, tags=[nasty[:40]])
    html = client.get(article.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block
    assert json.loads(block)["headline"] == nasty
    assert '<script>alert("x")</script>' not in html


def test_json_ld_script_escapes_html_specials():
    rendered = json_ld_script({"a": "</script><b>&"})
    assert rendered.count("</script>") == 1
    assert "\\u003C/script\\u003E\\u003Cb\\u003E\\u0026" in rendered


def test_front_page_carries_website_with_search_action_and_periodical_with_issn(client, publication, policies):
    (data,) = head_of(client, "/").json_ld
    graph = {node["@type"]: node for node in data["@graph"]}
    website = graph["WebSite"]
    assert website["url"] == "http://testserver/"
    assert website["issn"] == "2330-717X"
    action = website["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == "http://testserver/search/?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"
    assert graph["Periodical"]["issn"] == "2330-717X"
    assert graph["NewsMediaOrganization"]["correctionsPolicy"] == "http://testserver/corrections-page/"


def test_article_open_graph_and_twitter_card(client, story):
    head = head_of(client, story.get_absolute_url())
    url = "http://testserver" + story.get_absolute_url()
    assert head.meta["og:type"] == ["article"]
    assert head.meta["og:title"] == ["Ministers meet"]
    assert head.meta["og:description"] == ["They met at the Pentagon."]
    assert head.meta["og:url"] == [url]
    assert head.meta["og:site_name"] == ["The Test Gazette"]
    (image,) = head.meta["og:image"]
    assert image.startswith("http://testserver/media/renditions/") and image.endswith("/social-1200w.jpg")
    assert head.meta["og:image:width"] == ["1200"] and head.meta["og:image:height"] == ["630"]
    assert head.meta["og:image:alt"] == ["Two ministers shake hands"]
    assert head.meta["twitter:card"] == ["summary_large_image"]
    assert head.meta["twitter:image"] == [image]
    assert head.meta["article:published_time"] == [story.published_at.isoformat()]
    assert head.meta["article:tag"] == ["Japan", "Defence"]
    assert canonical(head) == url


def test_article_without_image_gets_a_summary_card(client, publication, section):
    head = head_of(client, make_article(section=section).get_absolute_url())
    assert head.meta["twitter:card"] == ["summary"]
    assert "og:image" not in head.meta


def test_syndicated_article_can_point_its_canonical_at_the_original(client, publication, section):
    wire = make_publisher()
    article = make_article(
        section=section, publisher=wire, original_url="https://wire.example/story", is_original_canonical=True
    )
    head = head_of(client, article.get_absolute_url())
    assert canonical(head) == "https://wire.example/story"
    assert head.json_ld[0]["mainEntityOfPage"]["@id"] == "https://wire.example/story"
    assert head.meta["og:url"] == ["http://testserver" + article.get_absolute_url()]

    article.is_original_canonical = False
    article.save()
    assert canonical(head_of(client, article.get_absolute_url())) == "http://testserver" + article.get_absolute_url()


def test_canonical_option_needs_an_original_url(publication, section):
    from django.core.exceptions import ValidationError

    article = make_article(section=section)
    article.is_original_canonical = True
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert error.value.error_dict["original_url"][0].code == "original_url_required"


def test_list_pages_have_canonical_and_open_graph(client, story):
    for url in ["/", story.section.get_absolute_url(), "/tag/japan/", "/author/ada/"]:
        head = head_of(client, url)
        assert canonical(head) == "http://testserver" + url, url
        assert head.meta["og:url"] == ["http://testserver" + url], url
        assert head.meta["og:title"][0], url


def test_canonical_of_a_later_page_keeps_only_the_page_number(client, publication, section):
    for _ in range(14):
        make_article(section=section)
    head = head_of(client, section.get_absolute_url() + "?page=2&utm_source=x")
    assert canonical(head) == f"http://testserver{section.get_absolute_url()}?page=2"


def test_site_url_is_used_for_canonical_links(client, story, settings):
    settings.SITE_URL = "https://news.example.com"
    head = head_of(client, story.get_absolute_url())
    assert canonical(head) == "https://news.example.com" + story.get_absolute_url()
    assert head.json_ld[0]["isPartOf"]["url"] == "https://news.example.com/"


def test_corrections_are_listed_in_the_news_article(client, story, django_user_model):
    from articles.models import Correction

    Correction.objects.create(article=story, kind=Correction.Kind.CORRECTION, text="The vote was on 12 March.")
    Correction.objects.create(article=story, kind=Correction.Kind.UPDATE, text="Adds the minister's reply.")
    (data,) = head_of(client, story.get_absolute_url()).json_ld
    (correction,) = data["correction"]
    assert correction["@type"] == "CorrectionComment"
    assert correction["text"] == "The vote was on 12 March."
    assert correction["url"].startswith("http://testserver" + story.get_absolute_url() + "#correction-")
