"""Names in the package that vulture cannot see used, each with what uses it.

`make lint` runs vulture over facilitate/ and this file (see [tool.vulture] in pyproject.toml);
tests are left out on purpose, so code only tests call is reported. Click commands and
migrations are found through their decorators there. Vulture matches names, not objects: an
entry here keeps that name alive everywhere.
"""

from vulture.whitelist_utils import Whitelist

from facilitate import runtime
from facilitate.core import events, messages, opinion
from facilitate.export import markdown, to_csv, to_docx, to_html, to_xlsx
from facilitate.web import assets, protocol

# Frameworks and libraries call these.
protocol.FramesProtocol.send_receive_event_to_app  # uvicorn's method, overridden
assets.Assets.file_response  # Starlette's StaticFiles method, overridden
markdown.minutes_markdown  # facilitate.export.FORMATS imports the exporters by name
to_csv.minutes_csv  # ditto
to_csv.minutes_csv_long  # ditto
to_docx.minutes_docx  # ditto
to_html.minutes_html  # ditto
to_xlsx.minutes_xlsx  # ditto

# Attributes we set on library objects, which the library reads.
_ = Whitelist()
_.__name__  # the exporters' lazy loaders are named after what they load
_.__doc__  # ditto
_.compress_type  # zipfile.ZipInfo
_.fitToHeight  # openpyxl's page setup (to_xlsx._print_setup)
_.fitToWidth  # ditto
_.gridLines  # ditto
_.orientation  # ditto
_.pageSetUpPr  # ditto
_.paperSize  # ditto
_.print_title_rows  # ditto
_.page_width  # python-docx: section, paragraph, run, table, cell and core properties
_.page_height
_.left_margin
_.right_margin
_.top_margin
_.bottom_margin
_.subject  # python-docx and openpyxl document properties
_.comments
_.modified
_.creator
_.page_break_before
_.italic
_.style
_.alignment  # python-docx and openpyxl
_.autofit
_.rgb
_.freeze_panes  # openpyxl worksheets, tables and cells
_.ref
_.number_format
_.data_type
_.quotePrefix

# Keys of the lifespan state (web/context.State): handlers read them as state(conn)["…"].
_.newcomers
_.creations
_.idempotency
_.processes

# The vocabulary the docs tests hold docs/protocol.md to (tests/test_docs.py).
events.EVENT_TYPES
messages.SERVER_MESSAGES

# Counters and hooks that tests read to see what a component did, which they cannot see
# from outside: renders coalesced, commits grouped, the collector thawed and put back.
_.renders  # hub.Room: tests/test_hub.py
_.commits  # store.Writer: tests/test_store.py
_.thaws  # runtime.Collector: tests/test_runtime.py
runtime.Collector.uninstall  # tests put the process's collector back as it was

# Minutes.arrivals_per: only tests/export/test_model.py reads it; no format shows how many
# minutes one row of arrivals spans.
_.arrivals_per

# The results of the "statements" activity kind to come (core/opinion.py): until that kind
# shows them, only tests/core/test_opinion.py and bench/opinion.py call these.
opinion.shares
opinion.consensus
opinion.divisive
opinion.Opinions.group_of
_.silhouette  # Opinions
_.centre  # Group
_.group_share  # Distinction

# Read by tests and by whoever watches a running server.
_.handovers  # store.Writer: lists of jobs handed to the writer thread
# Each kind's example agenda entry: the kind contract test reads every one.
_.example  # core.kinds.base.Kind
_.instead  # core.kinds.base.Kind: the fields its example leaves out
