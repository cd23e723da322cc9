// Links to this same page on another address (the console's warning that phones cannot reach
// localhost) carry the page's fragment: the key is in it, and the server never sees it.

function keepFragment() {
  for (const link of document.querySelectorAll("a[data-keep-fragment]")) {
    const target = new URL(link.href);
    target.hash = location.hash;
    link.href = target.href;
  }
}

keepFragment();
window.addEventListener("hashchange", keepFragment);
