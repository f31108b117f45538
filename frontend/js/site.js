/* Praticiens Bien-Être: progressive enhancement only. Everything works without this file. */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  // Directory filters: on small screens, fold the form behind a "Filtres" button.
  // The form starts open when filters are active or have errors (data-filters-open).
  function setUpFilterToggle(section) {
    var toggle = section.querySelector(".filters__toggle");
    var form = section.querySelector(".filters__form");
    if (!toggle || !form) {
      return;
    }
    var smallScreen = window.matchMedia("(max-width: 55.99em)");

    function setExpanded(expanded) {
      toggle.setAttribute("aria-expanded", expanded ? "true" : "false");
      section.classList.toggle("is-collapsed", !expanded);
    }

    toggle.hidden = false;
    setExpanded(!smallScreen.matches || section.hasAttribute("data-filters-open"));

    toggle.addEventListener("click", function () {
      var expanded = toggle.getAttribute("aria-expanded") === "true";
      setExpanded(!expanded);
      if (!expanded) {
        var firstField = form.querySelector("input, select");
        if (firstField) {
          firstField.focus();
        }
      }
    });

    // Going back to a wide screen shows the form (the button is hidden there by CSS).
    var onChange = function (event) {
      if (!event.matches) {
        setExpanded(true);
      }
    };
    if (smallScreen.addEventListener) {
      smallScreen.addEventListener("change", onChange);
    } else if (smallScreen.addListener) {
      smallScreen.addListener(onChange);
    }
  }

  // Move focus to the error summary so keyboard and screen-reader users land on it.
  function focusErrorSummary() {
    var summary = document.querySelector(".error-summary");
    if (summary) {
      summary.setAttribute("tabindex", "-1");
      summary.focus();
    }
  }

  function init() {
    document.querySelectorAll("[data-filters]").forEach(setUpFilterToggle);
    focusErrorSummary();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
