// The article form on the desk:
//  - words and reading time under the body, kept up to date while typing;
//  - the browser's spellcheck on in the body editor;
//  - the soft lock: a heartbeat keeps this page's lock (or shows who else has the article open),
//    and closing the page lets it go (the server lets an abandoned lock expire by itself too);
//  - autosave every 30 seconds while there are unsaved changes, into this person's one autosave
//    (shown in the history; their next real save replaces it).
"use strict";
(function () {
    const AUTOSAVE_MS = 30 * 1000;
    const HEARTBEAT_MS = 20 * 1000;
    const WORDS_PER_MINUTE = 230;
    const AUTOSAVED = [
        "headline", "dek", "body", "desk_note", "sponsor", "tags", "image_alt", "image_caption", "image_credit",
        "rights", "seo_title", "social_headline", "social_description"
    ];

    function bodyEditor() {
        return document.querySelector(".field-body .prose-editor [contenteditable]");
    }

    function countWords(text) {
        const words = text.match(/[\p{L}\p{N}_'’-]+/gu);
        return words ? words.length : 0;
    }

    function lengthLabel(output, words) {
        // The words come translated from the page: data-one-word, data-words and data-minutes ("{count} …").
        let text = words === 1 ? output.dataset.oneWord : output.dataset.words.replace("{count}", words);
        if (words) {
            const minutes = Math.max(1, Math.ceil(words / WORDS_PER_MINUTE));
            text += " · " + output.dataset.minutes.replace("{count}", minutes);
        }
        return text;
    }

    function watchLength() {
        const output = document.querySelector("[data-desk-length]");
        const body = document.getElementById("id_body");
        if (!output || !body) {
            return;
        }
        const update = function () {
            const editor = bodyEditor();
            const text = editor ? editor.innerText : body.value.replace(/<[^>]+>/g, " ");
            output.textContent = lengthLabel(output, countWords(text));
        };
        body.addEventListener("input", update);
        update();
    }

    function spellcheckOn() {
        const editor = bodyEditor();
        if (editor && editor.getAttribute("spellcheck") !== "true") {
            editor.setAttribute("spellcheck", "true");
        }
        return Boolean(editor);
    }

    function post(url, data, accept) {
        return fetch(url, {
            method: "POST",
            body: data,
            credentials: "same-origin",
            headers: {Accept: accept || "application/json", "X-Requested-With": "fetch"}
        });
    }

    function setUpDesk(form, desk) {
        const token = form.querySelector("input[name=csrfmiddlewaretoken]");
        const status = document.getElementById("desk-autosave-status");
        const lockBox = document.getElementById("desk-lock");
        const lockText = document.getElementById("desk-lock-text");
        let submitting = false;

        function showLock(lock) {
            if (!lockBox || !lock) {
                return;
            }
            lockBox.hidden = lock.mine;
            lockBox.classList.toggle("desk-lock-hidden", lock.mine);
            if (!lock.mine) {
                lockText.textContent = lock.message;
            }
        }

        function formData() {
            const data = new FormData();
            data.append("csrfmiddlewaretoken", token ? token.value : "");
            AUTOSAVED.forEach(function (name) {
                const field = form.elements[name];
                if (field && typeof field.value === "string") {
                    data.append(name, field.value);
                }
            });
            return data;
        }

        function fingerprint(data) {
            return AUTOSAVED.map(function (name) { return name + "=" + (data.get(name) || ""); }).join("\u0000");
        }

        let saved = fingerprint(formData());

        function autosave() {
            const data = formData();
            const current = fingerprint(data);
            if (current === saved || submitting) {
                return;
            }
            post(desk.dataset.autosaveUrl, data).then(function (response) {
                return response.json().then(function (result) { return {ok: response.ok, result: result}; });
            }).then(function (answer) {
                if (answer.ok && answer.result.saved) {
                    saved = current;
                    status.textContent = answer.result.message;
                    showLock(answer.result.lock);
                } else {
                    status.textContent = answer.result.message || "";
                }
            }).catch(function () {
                status.textContent = desk.dataset.autosaveFailed;
            });
        }

        function heartbeat() {
            if (submitting) {
                return;
            }
            const data = new FormData();
            data.append("csrfmiddlewaretoken", token ? token.value : "");
            post(desk.dataset.lockUrl, data).then(function (response) {
                return response.ok ? response.json() : null;
            }).then(showLock).catch(function () { /* the next beat tries again */ });
        }

        form.addEventListener("submit", function () { submitting = true; });
        window.addEventListener("pagehide", function () {
            if (!submitting && navigator.sendBeacon) {
                const data = new FormData();
                data.append("csrfmiddlewaretoken", token ? token.value : "");
                navigator.sendBeacon(desk.dataset.unlockUrl, data);
            }
        });
        window.setInterval(autosave, Number(desk.dataset.autosaveMs || AUTOSAVE_MS));
        window.setInterval(heartbeat, Number(desk.dataset.heartbeatMs || HEARTBEAT_MS));
    }

    document.addEventListener("DOMContentLoaded", function () {
        const form = document.getElementById("article_form");
        if (!form) {
            return;
        }
        watchLength();
        // The editor is built by its own script, possibly after this one runs, and may set attributes
        // later: keep watching the body field, so spellcheck stays on whenever the editor is (re)built.
        let seen = spellcheckOn();
        const field = form.querySelector(".field-body") || form;
        new MutationObserver(function () {
            const present = spellcheckOn();
            if (present && !seen) {
                document.getElementById("id_body").dispatchEvent(new Event("input"));
            }
            seen = present;
        }).observe(field, {childList: true, subtree: true, attributes: true, attributeFilter: ["spellcheck", "contenteditable"]});
        const desk = document.getElementById("desk-editor");
        if (desk) {
            setUpDesk(form, desk);
        }
    });
})();
