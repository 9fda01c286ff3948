/*
 * Server-rendered pages (case, SLA): turns inert data attributes into links once the value is
 * known to be safe. [data-upstream-url] becomes a link only for http(s) URLs (anything else stays
 * plain text); [data-account-link] and [data-engineer-link] link to the drill-down pages, with the
 * name URL-encoded here because templates cannot encode.
 */
(function () {
  'use strict';

  const HTTP_URL = /^https?:\/\//i;

  function linkify(el, href, external) {
    const a = document.createElement('a');
    a.href = href;
    if (external) {
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
    }
    a.append(...el.childNodes);
    el.append(a);
  }

  for (const el of document.querySelectorAll('[data-upstream-url]')) {
    const url = el.dataset.upstreamUrl.trim();
    if (HTTP_URL.test(url)) linkify(el, url, true);
  }
  for (const el of document.querySelectorAll('[data-account-link]')) {
    linkify(el, '/accounts/' + encodeURIComponent(el.dataset.accountLink), false);
  }
  for (const el of document.querySelectorAll('[data-engineer-link]')) {
    linkify(el, '/engineers/' + encodeURIComponent(el.dataset.engineerLink), false);
  }
})();
