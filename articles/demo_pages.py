"""The publication's own pages for the demo site: pure data for `load_demo`.

They follow the Trust Project's indicators: who we are, how to reach us, what happens to
readers' data, how we correct mistakes and the standards we work to.
"""

DEMO_PAGES = [
    {
        "title": "About us",
        "slug": "about",
        "kind": "about",
        "position": 1,
        "summary": "Who we are, who owns us and how we are paid for.",
        "body": (
            "<p>Newsroom Daily is an independent news publication. It is a demonstration site for Newsroom, "
            "the open-source newsroom CMS, and every person and organisation in its own stories is invented.</p>"
            "<h2>Ownership and funding</h2>"
            "<p>We are owned by our staff and funded by readers' subscriptions. We take no money from "
            "governments or political parties, and advertisers have no say in what we publish.</p>"
            "<h2>Republished articles</h2>"
            "<p>Some articles come from partners and public-domain sources such as DoD News. Each one names "
            "its publisher under the story and links to the original.</p>"
        ),
    },
    {
        "title": "Contact",
        "slug": "contact",
        "kind": "contact",
        "position": 2,
        "summary": "How to reach the newsroom, send a tip or report a mistake.",
        "body": (
            '<p>Write to the news desk at <a href="mailto:news@example.com">news@example.com</a>. '
            "To report an error in an article, write to "
            '<a href="mailto:corrections@example.com">corrections@example.com</a> and name the article.</p>'
            "<p>Postal address: Newsroom Daily, 1 Harbour Street, Eastbrook.</p>"
        ),
    },
    {
        "title": "Privacy policy",
        "slug": "privacy-policy",
        "kind": "privacy",
        "position": 3,
        "summary": "What we collect when you read or comment, and what we do with it.",
        "body": (
            "<p>Reading our site sets no cookies and needs no account. Our servers keep ordinary access logs "
            "(address, page, time) for 14 days to keep the site running and safe.</p>"
            "<h2>Comments</h2>"
            "<p>When you comment we store your name, email address, the comment and the time. Your name and "
            "comment are shown with the article once a moderator approves it; your email address is never "
            "published, never shared and used only to contact you about your comment.</p>"
            '<p>Ask us at <a href="mailto:privacy@example.com">privacy@example.com</a> to see, correct or '
            "delete what we hold about you.</p>"
        ),
    },
    {
        "title": "Corrections policy",
        "slug": "corrections-policy",
        "kind": "corrections",
        "position": 4,
        "summary": "How we correct mistakes, openly and quickly.",
        "body": (
            "<p>When we get something wrong we correct it as soon as we know, and we say so: a note at the "
            "end of the article tells readers what was wrong and when it was fixed.</p>"
            "<p>We do not quietly change facts, quotes or headlines. Typing errors that change no meaning are "
            "fixed without a note.</p>"
            '<p>Every correction we have published is listed on <a href="/corrections/">our corrections '
            "page</a>.</p>"
        ),
    },
    {
        "title": "Ethics policy",
        "slug": "ethics-policy",
        "kind": "ethics",
        "position": 5,
        "summary": "The standards our journalists work to.",
        "body": (
            "<p>We report facts we can verify, attribute what we cannot, and give the people we write about "
            "a fair chance to reply.</p>"
            "<ul><li>We separate news from opinion and label opinion as such.</li>"
            "<li>Our journalists accept no gifts or free travel from people they cover.</li>"
            "<li>We name our sources unless doing so would put them in danger, and we explain why when "
            "we do not.</li></ul>"
        ),
    },
]
