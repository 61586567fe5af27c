"""The media library end to end in headless Chromium: an editor uploads a photo carrying GPS data, describes it,
sets its focal point, puts it and two embeds in a story and publishes; a reader gets re-encoded pictures only,
privacy-first embeds that ask nothing of the provider until clicked, and a social image cropped around the
focal point. Screenshots land in test-artifacts/screenshots/."""

import io
from urllib.parse import urlsplit

import pytest
from PIL import Image as PILImage
from playwright.sync_api import expect

from articles.models import Article, Image
from tests.factories import PASSWORD, make_publication, make_section, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADLINE = "Harbour wall finished after five years"
YOUTUBE = "https://www.youtube.com/watch?v=aqz-KE-bpKQ"
DATAWRAPPER = "https://datawrapper.dwcdn.net/dfL6T/1/"
GPS_TAG = 0x8825


def photo_with_gps():
    """A 2400×1000 JPEG whose subject (a red block) sits at the right, with camera details and a GPS position."""
    picture = PILImage.new("RGB", (2400, 1000), (30, 60, 140))
    picture.paste((230, 20, 20), (2150, 300, 2350, 700))
    exif = PILImage.Exif()
    exif[0x010F] = "Camera Maker"
    exif[0x0110] = "Secret Model"
    exif[GPS_TAG] = {1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0)}
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", exif=exif, quality=92)
    return buffer.getvalue()


def carries_metadata(data):
    with PILImage.open(io.BytesIO(data)) as picture:
        exif = picture.getexif()
        return bool(exif.get(GPS_TAG) or exif.get(0x0110) or b"Secret Model" in data)


@pytest.fixture
def newsroom(settings, live_server, tmp_path):
    settings.DEBUG = False
    make_publication()
    make_section(name="Local", slug="local")
    make_user("dana", group="Editors", first_name="Dana", last_name="Desk")
    photo = tmp_path / "harbour-wall.jpg"
    photo.write_bytes(photo_with_gps())
    assert carries_metadata(photo.read_bytes())
    return {"url": live_server.url, "photo": photo}


def log_in(page, base, username):
    page.goto(base + "/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def choose_autocomplete(page, field, text):
    page.locator(f".field-{field} .select2-selection").click()
    page.locator(".select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def test_editor_publishes_a_story_with_a_library_photo_and_embeds_and_readers_get_it_privately(
    chromium, newsroom, screenshot
):
    base = newsroom["url"]
    editor_context = chromium.new_context(viewport={"width": 1280, "height": 1000})
    page = editor_context.new_page()
    log_in(page, base, "dana")

    # 1. The library: upload, describe, and click the focal point on the picture (shown before the upload).
    page.goto(base + "/admin/articles/image/add/")
    page.set_input_files("#id_file", str(newsroom["photo"]))
    page.fill("#id_title", "Harbour wall")
    page.fill("#id_alt", "The new harbour wall with a red crane at its far end")
    page.fill("#id_caption", "The wall's last section went in on Friday.")
    page.fill("#id_credit", "Photo: Ines Calder / Newsroom Daily")
    picture = page.locator(".focal-frame img")
    picture.wait_for()
    expect(picture).to_have_js_property("complete", True)  # wait_for_function's string would break the CSP
    assert picture.evaluate("img => img.naturalWidth") > 0  # the chosen file is shown before it is uploaded
    box = picture.bounding_box()
    picture.click(position={"x": box["width"] * 0.875, "y": box["height"] * 0.5})
    assert abs(float(page.input_value("#id_focal_x")) - 0.875) < 0.02
    assert abs(float(page.input_value("#id_focal_y")) - 0.5) < 0.02
    page.locator(".focal-frame").focus()
    page.keyboard.press("ArrowUp")  # the keyboard moves it too
    assert abs(float(page.input_value("#id_focal_y")) - 0.49) < 0.02
    screenshot(page, "media-library-focal-point", full_page=False)
    page.locator("input[name=_save]").last.click()
    page.wait_for_load_state()
    image = Image.objects.get()
    assert image.alt.startswith("The new harbour wall") and image.credit.startswith("Photo: Ines Calder")
    assert 0.85 < image.focal_x < 0.9 and image.renditions_are_current
    screenshot(page, "media-library-list")

    # 2. The story: the photo (wide) from the library and two embeds, inserted without leaving the editor.
    page.goto(base + "/admin/articles/article/add/")
    page.fill("#id_headline", HEADLINE)
    page.fill("#id_dek", "The last section went in on Friday.")
    choose_autocomplete(page, "section", "Local")
    choose_autocomplete(page, "image", "Harbour wall")
    body = page.locator(".prose-editor [contenteditable=true]")
    body.click()
    page.keyboard.type("The town's new harbour wall is finished.")
    page.get_by_role("button", name="Insert an image from the library").click()
    dialog = page.locator("dialog.nr-media-dialog")
    dialog.locator("input[type=search]").fill("harbour")
    dialog.locator(".nr-media-result", has_text="Harbour wall").click()
    dialog.locator("select[name=size]").select_option("wide")
    dialog.get_by_role("button", name="Insert").click()
    page.keyboard.type("Watch the last section go in:")
    for url in [YOUTUBE, DATAWRAPPER]:
        page.get_by_role("button", name="Embed a video, post, chart or map").click()
        page.locator("dialog.nr-media-dialog textarea[name=url]").fill(url)
        page.locator("dialog.nr-media-dialog").get_by_role("button", name="Insert").click()
        page.locator("dialog.nr-media-dialog").wait_for(state="detached")
    assert page.locator(".nr-node-image img").get_attribute("alt").startswith("The new harbour wall")
    screenshot(page, "media-editor-story")
    page.get_by_role("button", name="Publish").last.click()
    page.wait_for_load_state()
    article = Article.objects.get()
    assert article.is_published()
    assert f'<figure data-image-id="{image.pk}" data-size="wide">' in article.body
    assert f'data-embed="{YOUTUBE}"' in article.body and f'data-embed="{DATAWRAPPER}"' in article.body
    editor_context.close()

    # 3. A reader: every request the page makes is recorded; none may leave the site before a click.
    reader_context = chromium.new_context(viewport={"width": 1280, "height": 900})
    requests = []
    reader_context.on("request", lambda request: requests.append(request.url))
    third_party = []

    def refuse_third_party(route):
        third_party.append(route.request.url)
        route.abort()  # the sandbox has no internet; what counts is that the browser asked

    reader_context.route(lambda url: urlsplit(url).hostname not in {"localhost", "127.0.0.1"}, refuse_third_party)
    reader = reader_context.new_page()
    reader.goto(base + article.get_absolute_url())
    height = reader.evaluate("document.documentElement.scrollHeight")
    for top in range(0, height + 900, 450):
        reader.evaluate(f"window.scrollTo(0, {top})")
        reader.wait_for_timeout(50)
    reader.wait_for_load_state("networkidle")
    screenshot(reader, "media-reader-story")

    figure = reader.locator(".article-body figure.media-wide")
    assert figure.locator("source[type='image/webp']").get_attribute("srcset").count("w,") >= 2
    img = figure.locator("img")
    assert img.get_attribute("srcset") and img.get_attribute("width") == "2400" and img.get_attribute("height")
    assert img.get_attribute("loading") == "lazy"
    assert reader.evaluate("document.querySelector('.article-body figure.media-wide img').complete")
    caption = figure.locator("figcaption").inner_text()
    assert "The wall's last section went in on Friday." in caption and "Ines Calder" in caption.title()
    placeholders = reader.locator(".embed-frame")
    assert placeholders.count() == 2
    assert reader.get_by_role("button", name="Load the video from YouTube").is_visible()
    assert reader.get_by_role("button", name="Load the chart from Datawrapper").is_visible()
    assert reader.locator("iframe").count() == 0
    assert third_party == [], third_party
    assert all(urlsplit(url).hostname in {"localhost", "127.0.0.1"} for url in requests)

    # No URL the page uses serves a file with its metadata; the original has no public address at all.
    picture_urls = {url for url in requests if "/media/" in url}
    og_image = reader.locator("meta[property='og:image']").get_attribute("content")
    picture_urls.add(og_image)
    assert picture_urls
    for url in picture_urls:
        response = reader_context.request.get(url)
        assert response.ok, url
        assert not carries_metadata(response.body()), url
    image.refresh_from_db()
    assert reader_context.request.get(base + "/media/" + image.file.name).status == 404
    assert image.file.name not in reader.content()

    # The social image is 1200×630, cut around the focal point: the red subject at the right is in it.
    social = reader_context.request.get(og_image)
    with PILImage.open(io.BytesIO(social.body())) as crop:
        assert crop.size == (1200, 630)
        red, green, blue = crop.getpixel((round(1200 * (2250 - 495) / 1905), 315))
        assert red > 180 and blue < 90, (red, green, blue)
    assert reader.locator("meta[name='twitter:image']").get_attribute("content") == og_image

    # Only a click asks the provider: then one sandboxed iframe, from the privacy-enhanced address.
    reader.get_by_role("button", name="Load the video from YouTube").click()
    iframe = reader.locator(".embed-youtube iframe")
    iframe.wait_for(state="attached")
    assert iframe.get_attribute("sandbox").startswith("allow-scripts allow-same-origin")
    assert iframe.get_attribute("src") == "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"
    reader.wait_for_timeout(300)
    assert third_party and all("youtube-nocookie.com" in url for url in third_party)
    assert reader.locator(".embed-datawrapper iframe").count() == 0
    screenshot(reader, "media-reader-embed-loaded", full_page=False)
    reader_context.close()


def test_a_gallery_is_usable_from_the_keyboard(chromium, live_server, settings, screenshot):
    from articles import media
    from tests.factories import image_bytes, make_article, make_image

    settings.DEBUG = False
    make_publication()
    images = [
        make_image(image_bytes(size=(900, 600), format="JPEG", color=color), caption=f"Picture {n}", name=f"{n}.jpg")
        for n, color in enumerate([(200, 30, 30), (30, 160, 60), (40, 60, 200)], start=1)
    ]
    article = make_article(body="<p>Intro.</p>" + media.gallery_html(images, caption="Three pictures"))
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + article.get_absolute_url())
    page.locator(".gallery-link").first.focus()
    page.keyboard.press("Enter")
    lightbox = page.locator("dialog.lightbox")
    lightbox.wait_for(state="visible")
    assert page.locator(".lightbox-count").inner_text() == "1 / 3"
    assert "Picture 1" in page.locator(".lightbox-caption").inner_text()
    page.keyboard.press("ArrowRight")
    assert page.locator(".lightbox-count").inner_text() == "2 / 3"
    page.keyboard.press("Shift+Tab")  # the page behind is out of reach; the viewer's buttons are not
    assert page.evaluate("document.activeElement.textContent") == "← Previous"
    page.get_by_role("button", name="Next →").click()
    assert page.locator(".lightbox-count").inner_text() == "3 / 3"
    screenshot(page, "media-gallery-viewer", full_page=False)
    page.keyboard.press("Escape")
    lightbox.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.classList.contains('gallery-link')")
    context.close()


def test_a_portrait_picture_is_bounded_in_height_and_reserves_its_space(chromium, live_server, settings):
    from articles import media
    from tests.factories import image_bytes, make_article, make_image

    settings.DEBUG = False
    make_publication()
    portrait = make_image(image_bytes(size=(1000, 2000), format="JPEG"), alt="A lighthouse, tall and narrow")
    article = make_article(body="<p>Intro.</p>" + media.figure_html(portrait) + "<p>After.</p>" * 40)
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.route("**/media/renditions/**", lambda route: route.abort())  # before any picture arrives...
    page.goto(live_server.url + article.get_absolute_url())
    box = page.locator(".media-picture img").bounding_box()
    assert box["height"] > 500, "the picture's space is reserved before it loads (no layout shift)"
    page.unroute("**/media/renditions/**")
    page.reload()
    page.locator(".media-picture img").scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('.media-picture img').complete")
    box = page.locator(".media-picture img").bounding_box()
    assert box["height"] <= 800 * 0.8 + 1, box  # no more than 80% of the screen's height
    assert abs(box["width"] / box["height"] - 0.5) < 0.02, box  # and not distorted
    context.close()
