// The "Publish" button reads "Schedule" while the publication time typed in the form is in the future.
"use strict";
(function () {
    function typedTime() {
        const date = document.getElementById("id_published_at_0");
        const time = document.getElementById("id_published_at_1");
        if (!date || !date.value) {
            return null;
        }
        const moment = new Date(date.value + "T" + (time && time.value ? time.value : "00:00:00"));
        return isNaN(moment.getTime()) ? null : moment;
    }

    function refresh() {
        const moment = typedTime();
        // The form shows the server's time zone; the browser's clock is only a hint, so a margin of a minute.
        const later = moment !== null && moment.getTime() - Date.now() > 60 * 1000;
        document.querySelectorAll("[data-publish-button]").forEach(function (button) {
            button.textContent = later ? button.dataset.labelLater : button.dataset.labelNow;
        });
    }

    document.addEventListener("DOMContentLoaded", function () {
        ["id_published_at_0", "id_published_at_1"].forEach(function (id) {
            const input = document.getElementById(id);
            if (input) {
                input.addEventListener("input", refresh);
                input.addEventListener("change", refresh);
            }
        });
        // The admin's calendar and clock shortcuts set the value without an input event.
        document.addEventListener("click", function (event) {
            if (event.target.closest(".datetimeshortcuts")) {
                setTimeout(refresh, 0);
            }
        });
    });
})();
