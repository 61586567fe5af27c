// Suggests existing tags while an editor types in the comma-separated tag field.
// Uses a <datalist> so the browser draws the menu; completes only the word being typed.
"use strict";
(function () {
    function currentWord(value) {
        const parts = value.split(",");
        return parts[parts.length - 1].trim();
    }

    function attach(input) {
        const list = document.createElement("datalist");
        list.id = input.id + "-suggestions";
        input.after(list);
        input.setAttribute("list", list.id);
        let lastQuery = null;
        let timer = null;

        input.addEventListener("input", function () {
            const word = currentWord(input.value);
            if (word === lastQuery || word.length < 1) {
                return;
            }
            clearTimeout(timer);
            timer = setTimeout(function () {
                lastQuery = word;
                const url = input.dataset.suggestUrl + "?q=" + encodeURIComponent(word);
                fetch(url, {credentials: "same-origin"})
                    .then(function (response) { return response.ok ? response.json() : {results: []}; })
                    .then(function (data) {
                        const head = input.value.split(",").slice(0, -1).map(function (s) { return s.trim(); });
                        const prefix = head.length ? head.join(", ") + ", " : "";
                        list.replaceChildren.apply(list, data.results.map(function (name) {
                            const option = document.createElement("option");
                            option.value = prefix + (name.includes(",") ? '"' + name + '"' : name);
                            return option;
                        }));
                    })
                    .catch(function () { list.replaceChildren(); });
            }, 150);
        });
    }

    document.addEventListener("DOMContentLoaded", function () {
        document.querySelectorAll("input[data-suggest-url]").forEach(attach);
    });
})();
