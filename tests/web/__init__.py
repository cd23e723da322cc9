"""In-process tests of the web layer: pages, the JSON API and the live websocket protocol."""
