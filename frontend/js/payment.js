/* The payment page: Stripe's Payment Element in #payment-element, paid with confirmPayment.
 *
 * Loaded after Stripe.js, on templates/booking/client/payment.html only. The data comes from
 * the form's data-* attributes (no inline script: the CSP forbids it). The card is typed into
 * Stripe's frames and sent to Stripe: this file never reads it and never posts it to us.
 * After paying (or 3-D Secure), the browser goes to the return page, which asks Stripe for
 * the PaymentIntent's state; a declined card stays on this page with Stripe's message.
 */
(function () {
  "use strict";

  var form = document.getElementById("payment-form");
  if (!form || typeof window.Stripe !== "function") {
    return;
  }
  var mount = document.getElementById("payment-element");
  var message = document.getElementById("payment-message");
  var submit = document.getElementById("payment-submit");
  var clientSecret = form.dataset.clientSecret;
  // Stripe redirects to an absolute URL: this page's own origin, where the session lives.
  var returnUrl = new URL(form.dataset.returnUrl, window.location.href).href;
  var stripe = window.Stripe(form.dataset.publishableKey, { locale: "fr" });

  function say(text) {
    message.textContent = text || "";
  }

  function busy(on) {
    submit.disabled = on;
    form.setAttribute("aria-busy", on ? "true" : "false");
  }

  var pay;
  if (typeof stripe.confirmPayment === "function") {
    var elements = stripe.elements({ clientSecret: clientSecret, locale: "fr" });
    elements.create("payment").mount(mount);
    pay = function () {
      // Resolves only on an error shown here (declined card, incomplete form); otherwise
      // the browser leaves for return_url.
      return stripe.confirmPayment({
        elements: elements,
        confirmParams: { return_url: returnUrl },
      });
    };
  } else {
    // The local test server's Stripe.js stand-in (localstripe) has no Payment Element and no
    // confirmPayment, only the card Element and confirmCardPayment: the browser tests pay
    // through it. Real Stripe.js never takes this branch.
    stripe.elements().create("card").mount(mount);
    pay = function () {
      return stripe.confirmCardPayment(clientSecret).then(function (result) {
        if (!result.error) {
          window.location.assign(returnUrl);
        }
        return result;
      });
    };
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    say("");
    busy(true);
    pay().then(
      function (result) {
        if (result && result.error) {
          say(result.error.message || form.dataset.failedMessage);
          busy(false);
        }
      },
      function () {
        say(form.dataset.failedMessage);
        busy(false);
      }
    );
  });
})();
