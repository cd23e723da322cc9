"""The thin web layer: pages, the JSON API and the websocket endpoint."""
