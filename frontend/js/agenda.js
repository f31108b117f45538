/* The practitioner's agenda: progressive enhancement only; every control also works as a link.
 *
 * - On a phone, the week grid scrolls one day at a time (CSS scroll snapping, so a swipe moves
 *   one day). This shows today's column first and un-hides the previous/next day buttons.
 * - The "Grille" / "Liste" links switch the display without reloading the page (the address
 *   is updated so that reloading or sharing it keeps the choice).
 */
(function () {
  "use strict";

  var narrow = window.matchMedia("(max-width: 47.99em)");

  function setUpDayNavigation(agenda) {
    var nav = agenda.querySelector("[data-agenda-daynav]");
    var scroller = agenda.querySelector("[data-agenda-scroller]");
    if (!nav || !scroller) {
      return;
    }
    var days = Array.prototype.slice.call(scroller.querySelectorAll("[data-agenda-day]"));
    if (!days.length) {
      return;
    }

    function currentIndex() {
      // The day column nearest to the scroll position (the hours column stays in view).
      var times = scroller.querySelector(".agenda-grid__times");
      var offset = times ? times.offsetWidth : 0;
      var best = 0;
      var bestDistance = Infinity;
      days.forEach(function (day, index) {
        var distance = Math.abs(day.offsetLeft - offset - scroller.scrollLeft);
        if (distance < bestDistance) {
          best = index;
          bestDistance = distance;
        }
      });
      return best;
    }

    function show(index, focusHeading) {
      var clamped = Math.max(0, Math.min(days.length - 1, index));
      var times = scroller.querySelector(".agenda-grid__times");
      var offset = times ? times.offsetWidth : 0;
      scroller.scrollLeft = days[clamped].offsetLeft - offset;
      if (focusHeading) {
        // Screen readers and keyboards follow: the day's heading is announced.
        var heading = days[clamped].querySelector("h2");
        if (heading) {
          heading.setAttribute("tabindex", "-1");
          heading.focus({ preventScroll: true });
        }
      }
    }

    nav.querySelectorAll("[data-agenda-step]").forEach(function (button) {
      button.addEventListener("click", function () {
        show(currentIndex() + Number(button.getAttribute("data-agenda-step")), true);
      });
    });

    function apply() {
      nav.hidden = !narrow.matches;
      if (narrow.matches) {
        var today = scroller.querySelector(".agenda-col--today");
        show(today ? days.indexOf(today) : 0, false);
      }
    }

    apply();
    if (narrow.addEventListener) {
      narrow.addEventListener("change", apply);
    } else if (narrow.addListener) {
      narrow.addListener(apply);
    }
  }

  function setUpDisplaySwitch(agenda) {
    var list = agenda.querySelector("[data-agenda-list]");
    var links = document.querySelectorAll("[data-agenda-show]");
    if (!list || !links.length || !window.history || !window.history.replaceState) {
      return;
    }
    links.forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) {
          return; // a new tab or window: let the link do it
        }
        event.preventDefault();
        var asList = link.getAttribute("data-agenda-show") === "list";
        agenda.classList.toggle("agenda--list", asList);
        // While the grid shows, the list stays readable by screen readers (visually hidden).
        list.classList.toggle("visually-hidden", !asList);
        links.forEach(function (other) {
          if (other === link) {
            other.setAttribute("aria-current", "page");
          } else {
            other.removeAttribute("aria-current");
          }
        });
        window.history.replaceState(null, "", link.getAttribute("href"));
        // The other links of the agenda keep the display chosen, as the server writes them.
        document.querySelectorAll(".agenda-nav a:not([data-agenda-show])").forEach(function (a) {
          var url = new URL(a.href);
          if (asList) {
            url.searchParams.set("affichage", "liste");
          } else {
            url.searchParams.delete("affichage");
          }
          a.setAttribute("href", url.search);
        });
        if (asList) {
          var heading = list.querySelector("h2");
          if (heading) {
            heading.setAttribute("tabindex", "-1");
            heading.focus();
          }
        }
      });
    });
  }

  function init() {
    document.querySelectorAll("[data-agenda]").forEach(function (agenda) {
      setUpDayNavigation(agenda);
      setUpDisplaySwitch(agenda);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
