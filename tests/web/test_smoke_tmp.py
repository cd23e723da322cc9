from .helpers import current

def test_smoke(peers, client):
    console = peers.console()
    screen = peers.screen()
    phone = peers.phone()
    print(console.snapshot)
    console.ok("goto", activity="safety-poll")
    console.ok("reveal", activity="safety-poll")
    phone.ok("vote", activity="safety-poll", choices=["neither"])
    v = screen.wait_view(lambda v: current(v).get("tally", {}).get("voters") == 1)
    print(v)
    print(phone.seen)
