/*
 * The breaking-news banner of a page a browser kept (back button, its own cache): once the banner's
 * end time has passed, hide it. Servers and page caches drop it at that moment by themselves
 * (the banner's end is announced to them); this only covers copies outside their reach.
 */
(function () {
    "use strict";

    var banner = document.querySelector(".breaking-news[data-ends-at]");
    if (!banner) {
        return;
    }
    var endsAt = Date.parse(banner.dataset.endsAt);
    if (isNaN(endsAt)) {
        return;
    }
    function hideWhenOver() {
        if (Date.now() >= endsAt) {
            banner.hidden = true;
            return true;
        }
        return false;
    }
    if (!hideWhenOver()) {
        var wait = Math.min(endsAt - Date.now() + 1000, 2147483000);
        window.setTimeout(hideWhenOver, wait);
    }
    window.addEventListener("pageshow", hideWhenOver);
}());
