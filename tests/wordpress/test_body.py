"""WordPress content to a Newsroom body: wpautop, blocks, shortcodes, media through the pluggable step."""

import pytest

from articles.richtext import sanitize_html
from wordpress import media
from wordpress.body import convert, wpautop


def test_wpautop_makes_paragraphs_of_blank_lines_and_breaks_of_single_newlines():
    assert wpautop("One\ntwo\n\nThree") == "<p>One<br />\ntwo</p>\n<p>Three</p>\n"
    assert wpautop("<ul>\n<li>a</li>\n</ul>\n\nText") == "<ul>\n<li>a</li>\n</ul>\n<p>Text</p>\n"
    assert wpautop("<pre>keep\n\nme</pre>") == "<pre>keep\n\nme</pre>\n"
    assert wpautop("   ") == ""


def test_classic_content_is_cleaned_by_the_native_sanitiser():
    result = convert('Hello <script>x()</script><b onclick="y()">world</b>\n\n<h1>Title</h1><h6>Small</h6>')
    assert result.html == "<p>Hello <b>world</b></p>\n<h2>Title</h2>\n<h4>Small</h4>"
    assert sanitize_html(result.html) == result.html


def test_block_content_becomes_clean_html():
    content = (
        '<!-- wp:paragraph --><p class="has-text">Para</p><!-- /wp:paragraph -->'
        '<!-- wp:heading {"level":1} --><h1 class="wp-block-heading">Head</h1><!-- /wp:heading -->'
        '<!-- wp:list {"ordered":true} --><ol><!-- wp:list-item --><li>One</li><!-- /wp:list-item --></ol>'
        "<!-- /wp:list -->"
        '<!-- wp:quote --><blockquote class="wp-block-quote"><p>Q</p><cite>Who</cite></blockquote><!-- /wp:quote -->'
        '<!-- wp:table --><figure class="wp-block-table"><table><tbody><tr><td colspan="2" style="x">A</td></tr>'
        "</tbody></table><figcaption>Cap</figcaption></figure><!-- /wp:table -->"
        '<!-- wp:separator --><hr class="wp-block-separator"/><!-- /wp:separator -->'
        "<!-- wp:more --><!--more--><!-- /wp:more -->"
        '<!-- wp:code --><pre class="wp-block-code"><code>a &lt; b\nc</code></pre><!-- /wp:code -->'
        '<!-- wp:latest-posts {"postsToShow":3} /-->'
    )
    result = convert(content)
    assert result.html == (
        "<p>Para</p>\n<h2>Head</h2>\n<ol><li>One</li></ol>\n<blockquote><p>Q</p><p>— Who</p></blockquote>\n"
        '<table><tbody><tr><td colspan="2">A</td></tr></tbody></table><p>Cap</p>\n<hr>\n<p>a &lt; b<br>c</p>'
    )
    assert result.dropped_blocks == {"wp:latest-posts": 1}


def test_shortcodes_that_cannot_be_kept_are_listed_and_their_text_kept():
    result = convert('[contact-form-7 id="5"]\n\n[su_note]Note text[/su_note] and [sic], [1], [[gallery]].')
    assert result.html == "<p>Note text and [sic], [1], [gallery].</p>"
    assert result.dropped_shortcodes == {"[contact-form-7]": 1, "[su_note]": 1}


class Recording(media.LinkFallback):
    """A media step that shows what it was handed: the interface the media library's step implements."""

    version = "test"

    def __init__(self):
        self.calls = []

    def image(self, image, context):
        self.calls.append(("image", image))
        return "<p>IMAGE</p>"

    def inline_image(self, image, context):
        self.calls.append(("inline", image))
        return "INLINE"

    def gallery(self, gallery, context):
        self.calls.append(("gallery", gallery))
        return "<p>GALLERY</p>"

    def embed(self, embed, context):
        self.calls.append(("embed", embed))
        return "<p>EMBED</p>"

    def media_file(self, media_file, context):
        self.calls.append(("file", media_file))
        return "<p>FILE</p>"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            '[caption id="attachment_7" width="300"]<a href="/p/"><img src="https://x.example/a.jpg" alt="Alt" '
            'class="wp-image-7"></a> The caption[/caption]',
            (
                "image",
                media.Image(
                    url="https://x.example/a.jpg", attachment_id=7, alt="Alt", caption="The caption", link="/p/"
                ),
            ),
        ),
        (
            '<!-- wp:image {"id":8} --><figure class="wp-block-image"><img src="https://x.example/b.png" alt="B" '
            'class="wp-image-8"/><figcaption>Cap B</figcaption></figure><!-- /wp:image -->',
            ("image", media.Image(url="https://x.example/b.png", attachment_id=8, alt="B", caption="Cap B")),
        ),
        (
            'Text <img src="https://x.example/c.gif" alt="C"> text',
            ("inline", media.Image(url="https://x.example/c.gif", alt="C")),
        ),
        (
            "Intro\n\nhttps://youtu.be/abc\n\nOutro",
            ("embed", media.Embed(url="https://youtu.be/abc", provider="youtube")),
        ),
        ("[embed]https://vimeo.com/1[/embed]", ("embed", media.Embed(url="https://vimeo.com/1", provider="vimeo"))),
        (
            '<!-- wp:embed {"url":"https://twitter.com/x/status/1","providerNameSlug":"twitter"} --><figure>'
            "<div>https://twitter.com/x/status/1</div><figcaption>Tweet</figcaption></figure><!-- /wp:embed -->",
            ("embed", media.Embed(url="https://twitter.com/x/status/1", caption="Tweet", provider="twitter")),
        ),
        ('[gallery ids="4,5"]', ("gallery", media.Gallery(missing_ids=(4, 5)))),
        (
            '[video src="https://x.example/v.mp4"]',
            ("file", media.MediaFile(kind="video", url="https://x.example/v.mp4")),
        ),
        (
            '<!-- wp:audio {"id":9} --><figure class="wp-block-audio"><audio controls src="https://x.example/a.mp3">'
            "</audio></figure><!-- /wp:audio -->",
            ("file", media.MediaFile(kind="audio", url="https://x.example/a.mp3", attachment_id=9)),
        ),
    ],
    ids=[
        "caption",
        "image-block",
        "raw-img",
        "url-line",
        "embed-shortcode",
        "embed-block",
        "gallery",
        "video",
        "audio",
    ],
)
def test_every_kind_of_media_reaches_the_media_step_parsed(content, expected):
    step = Recording()
    result = convert(content, step=step)
    assert step.calls == [expected]
    assert any(marker in result.html for marker in ("IMAGE", "INLINE", "GALLERY", "EMBED", "FILE"))


def test_the_fallback_step_keeps_media_as_links_the_sanitiser_accepts():
    attachments = {
        4: media.Attachment(wp_id=4, url="https://x.example/4.jpg", file_path="4.jpg", parent_wp_id=1, alt="Four")
    }
    context = media.MediaContext(post_wp_id=1, attachments=attachments.get)
    result = convert(
        '[caption]<img src="https://x.example/a.jpg" alt="A"> Cap[/caption]\n\n[gallery ids="4,5"]\n\nhttps://youtu.be/z',
        context=context,
    )
    assert result.html == (
        '<p><a href="https://x.example/a.jpg" rel="noopener noreferrer">Cap</a></p>\n'
        '<ul><li><a href="https://x.example/4.jpg" rel="noopener noreferrer">Four</a></li></ul>\n'
        '<p><a href="https://youtu.be/z" rel="noopener noreferrer">https://youtu.be/z</a></p>'
    )
    assert sanitize_html(result.html) == result.html
    assert [(ref["kind"], ref["attachment_id"]) for ref in result.media] == [
        ("image", None),
        ("gallery", 4),
        ("gallery", 5),
        ("embed", None),
    ]


def test_a_hostile_body_cannot_smuggle_markup_through_media():
    result = convert('[caption]<img src="javascript:alert(1)" alt="&quot;><script>x()</script>"> c[/caption]')
    assert "javascript:" not in result.html and "<script" not in result.html
    result = convert('<!-- wp:embed {"url":"javascript:alert(1)"} --><figure></figure><!-- /wp:embed -->')
    assert "href" not in result.html


def test_a_raw_image_alone_on_its_line_is_an_image_of_its_own_and_inside_text_stays_inline():
    step = Recording()
    convert(
        'Intro\n\n<img src="https://x.example/a.jpg" alt="A">\n\nText <img src="https://x.example/b.jpg"> more',
        step=step,
    )
    assert [kind for kind, _image in step.calls] == ["image", "inline"]
    step = Recording()
    convert(
        '<!-- wp:paragraph --><p><a href="/x"><img src="https://x.example/c.jpg" alt="C"></a></p>'
        "<!-- /wp:paragraph -->",
        step=step,
    )
    assert step.calls == [("image", media.Image(url="https://x.example/c.jpg", alt="C", link="/x"))]


def test_an_image_without_its_attachment_id_is_found_by_its_file_and_a_bare_gallery_by_its_post():
    photo = media.Attachment(wp_id=7, url="https://x.example/p.jpg", file_path="p.jpg", parent_wp_id=1, alt="P")
    context = media.MediaContext(
        post_wp_id=1,
        by_url=lambda url: photo if "/p-300x200.jpg" in url else None,
        attached_to=lambda post_wp_id: [photo] if post_wp_id == 1 else [],
    )
    step = Recording()
    convert('<img src="https://x.example/p-300x200.jpg">\n\n[gallery]', step=step, context=context)
    assert step.calls == [  # shortcodes are read before raw images
        ("gallery", media.Gallery(images=(media.Image(url="https://x.example/p.jpg", attachment_id=7, alt="P"),))),
        ("image", media.Image(url="https://x.example/p-300x200.jpg", attachment_id=7, alt="P")),
    ]


@pytest.mark.parametrize(
    ("content", "align"),
    [
        (
            '<!-- wp:image {"id":8,"align":"wide"} --><figure class="wp-block-image alignwide"><img src="b.png" '
            'class="wp-image-8"/></figure><!-- /wp:image -->',
            "wide",
        ),
        (  # only the class says it (a block saved by a plugin, or the attribute lost)
            '<!-- wp:image {"id":8} --><figure class="wp-block-image size-large alignfull"><img src="b.png"/></figure>'
            "<!-- /wp:image -->",
            "full",
        ),
        (  # WordPress before 5.x: the alignment on the figure inside a wrapper
            '<!-- wp:image {"id":8} --><div class="wp-block-image"><figure class="alignwide"><img src="b.png"/>'
            "</figure></div><!-- /wp:image -->",
            "wide",
        ),
        (
            '<!-- wp:image {"id":8,"align":"center"} --><div class="wp-block-image"><figure class="aligncenter">'
            '<img src="b.png"/></figure></div><!-- /wp:image -->',
            "center",
        ),
        ('<!-- wp:image {"id":8} --><figure class="wp-block-image"><img src="b.png"/></figure><!-- /wp:image -->', ""),
        ('[caption id="attachment_8" align="alignwide"]<img src="b.png"> Cap[/caption]', "wide"),
        ('[caption id="attachment_8" align="alignright"]<img src="b.png"> Cap[/caption]', "right"),
        ('<img class="alignfull wp-image-8" src="b.png">', "full"),
        (
            '<!-- wp:cover {"url":"b.png","id":8,"align":"full"} --><div class="wp-block-cover alignfull"></div>'
            "<!-- /wp:cover -->",
            "full",
        ),
        (
            '<!-- wp:cover {"url":"b.png","id":8} --><div class="wp-block-cover alignwide"><img src="b.png"/></div>'
            "<!-- /wp:cover -->",
            "wide",
        ),
    ],
    ids=[
        "block-attr",
        "block-class",
        "old-wrapper",
        "center",
        "none",
        "caption-wide",
        "caption-right",
        "raw-img",
        "cover",
        "cover-class",
    ],
)
def test_wordpress_alignment_of_an_image_reaches_the_media_step(content, align):
    step = Recording()
    convert(content, step=step)
    [(kind, image)] = step.calls
    assert kind == "image" and image.align == align


@pytest.mark.parametrize(
    ("opening", "align"),
    [
        ('<!-- wp:gallery {"align":"full"} --><figure class="wp-block-gallery has-nested-images alignfull">', "full"),
        ('<!-- wp:gallery --><figure class="wp-block-gallery has-nested-images alignwide">', "wide"),
        ('<!-- wp:gallery --><figure class="wp-block-gallery has-nested-images">', ""),
    ],
)
def test_wordpress_alignment_of_a_gallery_reaches_the_media_step_and_not_its_images(opening, align):
    step = Recording()
    convert(
        opening + '<!-- wp:image {"id":4} --><figure class="wp-block-image"><img src="a.jpg" class="wp-image-4"/>'
        "</figure><!-- /wp:image --></figure><!-- /wp:gallery -->",
        step=step,
    )
    [(kind, gallery)] = step.calls
    assert kind == "gallery" and gallery.align == align and gallery.images[0].align == ""


def _library_context(*attachments):
    """A post's context whose attachments (wp_id, image_id or None) are known to the import."""
    known = {
        wp_id: media.Attachment(
            wp_id=wp_id,
            url=f"https://x.example/{wp_id}.jpg",
            file_path=f"{wp_id}.jpg",
            parent_wp_id=1,
            image_id=image_id,
        )
        for wp_id, image_id in attachments
    }
    by_file = {attachment.url: attachment for attachment in known.values()}
    return media.MediaContext(post_wp_id=1, attachments=known.get, by_url=by_file.get)


@pytest.mark.parametrize(
    ("align", "size"),
    [("wide", "wide"), ("full", "full"), ("center", "inline"), ("left", "inline"), ("none", "inline"), ("", "inline")],
)
def test_the_library_step_gives_wide_and_full_alignments_their_sizes_and_everything_else_inline(align, size):
    context = _library_context((4, 40), (5, 50))
    block_attrs = f',"align":"{align}"' if align else ""
    result = convert(
        f'<!-- wp:image {{"id":4{block_attrs}}} --><figure class="wp-block-image"><img src="a.jpg"/></figure>'
        f'<!-- /wp:image --><!-- wp:gallery {{"ids":[4,5]{block_attrs}}} --><figure class="wp-block-gallery">'
        "</figure><!-- /wp:gallery -->",
        step=media.LibraryStep(),
        context=context,
    )
    assert result.html == (
        f'<figure data-image-id="40" data-size="{size}"></figure>\n'
        f'<figure data-gallery="40 50" data-size="{size}"></figure>'
    )


def test_a_library_image_inside_text_becomes_a_figure_after_its_paragraph_and_the_paragraph_stays_whole():
    context = _library_context((4, 40), (5, 50), (6, None))
    content = (
        'Text with an <img src="https://x.example/4.jpg" alt="icon"> image, and <a href="/x">'
        '<img class="wp-image-5" src="https://x.example/5-150x150.jpg"></a> another.\n\n'
        '<ul>\n<li>An item with <img class="wp-image-4" src="https://x.example/4.jpg"> in it</li>\n</ul>\n\n'
        'A missing <img class="wp-image-6" src="https://x.example/6.jpg" alt="six"> file stays a link.'
    )
    result = convert(content, step=media.LibraryStep(), context=context)
    figure = '<figure data-image-id="{}" data-size="inline"></figure>'
    assert result.html == (
        "<p>Text with an image, and another.</p>\n"
        + figure.format(40)
        + figure.format(50)
        + "\n<ul>\n<li>An item with in it</li>\n</ul>\n"
        + figure.format(40)
        + '\n<p>A missing <a href="https://x.example/6.jpg" rel="noopener noreferrer">six</a> file stays a link.</p>'
    )
    assert sanitize_html(result.html) == result.html
    assert ("image", "images inside text: shown as a figure after their paragraph") in result.notes
    assert ("image", "image inside text whose file is not in the library: kept as a link") in result.notes


def test_an_image_inside_text_in_a_block_post_goes_after_its_block():
    context = _library_context((4, 40))
    result = convert(
        '<!-- wp:paragraph --><p>One <img class="wp-image-4" src="https://x.example/4.jpg"> two</p>'
        "<!-- /wp:paragraph -->"
        '<!-- wp:quote --><blockquote><p>Quote <strong>with <img class="wp-image-4" src="https://x.example/4.jpg">'
        "</strong> it</p></blockquote><!-- /wp:quote --><!-- wp:paragraph --><p>Next</p><!-- /wp:paragraph -->",
        step=media.LibraryStep(),
        context=context,
    )
    figure = '<figure data-image-id="40" data-size="inline"></figure>'
    quote = "<blockquote><p>Quote <strong>with</strong> it</p></blockquote>"
    assert result.html == f"<p>One two</p>\n{figure}\n{quote}\n{figure}\n<p>Next</p>"
