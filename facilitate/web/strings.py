"""UI texts used by the browser scripts and the server's error messages.

Marked with N_() so Babel extracts them; translated per page and handed to the scripts as a JSON
data block (`t("key")` in static/js). A test checks every key the scripts use is defined here.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from babel import Locale
from babel.support import Translations


def N_(message: str) -> str:  # the conventional gettext marker name
    return message


def P_(singular: str, plural: str) -> tuple[str, str]:
    """A counted text (`%(n)s`): each language's plural forms are sent to the page, which picks
    one with Intl.PluralRules (static/js/i18n.js). Babel extracts both (`-k P_:1,2`)."""
    return (singular, plural)


Text = str | tuple[str, str]


SCRIPT: dict[str, Text] = {
    # connection state, shown on every page
    "status.connecting": N_("Connecting…"),
    "status.online": N_("Connected"),
    "status.offline": N_("Offline – reconnecting…"),
    "status.saving": N_("Saving…"),
    "status.saved": N_("Saved"),
    "status.pending": N_("%(n)s not sent yet – will be sent when the connection is back"),
    "status.gone": N_("This meeting no longer exists."),
    "status.refused": N_("Waiting – trying again…"),
    # the organiser's process page (static/js/process.js)
    "process.no_key": N_(
        "This link has no process key. Open the process page with the link you got when the "
        "process was made (it ends with #key=…)."
    ),
    "process.took_part": P_("%(n)s took part", "%(n)s took part"),
    "process.results": N_("Results page"),
    "process.not_published": N_("Results not published"),
    "process.move": N_("Step:"),
    "process.move_meeting": N_("Step of “%(title)s”"),
    "process.no_meetings": N_("No meetings at this step yet."),
    "process.takes_in": N_("Takes in from the steps before:"),
    "process.status_of": N_("Status of “%(title)s”"),
    "process.update_of": N_("Update on “%(title)s” (optional)"),
    "process.save": N_("Save"),
    "process.no_items": N_("No follow-up items yet."),
    "process.imported": P_("%(n)s item added", "%(n)s items added"),
    "process.wrong_key": N_(
        "This link's process key is wrong. Open the process page with the link you got when "
        "the process was made."
    ),
    # refusals the process page says in its own language (by the code the API gives)
    "process.error.empty_text": N_("Fill in this field."),
    "process.error.too_long_text": N_("That is too long."),
    "process.error.in_another_process": N_("That meeting is already part of another process."),
    "process.error.unknown_meeting": N_("No meeting has that code."),
    "process.error.bad_code": N_("A meeting code has six digits."),
    "process.error.wrong_key": N_("That key is wrong."),
    "process.error.missing_key": N_("Give the meeting's facilitator key."),
    # the console of a meeting in a process (static/js/console_process.js)
    "console.process_in": N_("Part of the process “%(title)s”, step: %(step)s."),
    "console.process_none": N_("This meeting is not part of a process."),
    "console.process_joined": N_("The meeting joined the process."),
    # participant
    "phone.waiting": N_("Welcome! The meeting will start soon. Keep this page open."),
    "phone.info": N_("Look at the screen and listen."),
    "phone.closed": N_("Input is closed for this activity."),
    "phone.vote_single": N_("Choose one answer."),
    "phone.vote_multiple": N_("Choose one or more answers."),
    "phone.none": N_("None of these"),
    "phone.change_vote": N_("You can change your answer while voting is open."),
    "phone.voted": N_("Your answer is saved."),
    "phone.vote_sending": N_("Sending your answer…"),
    "phone.vote_waiting": N_(
        "Your answer is not sent yet. It will be sent when the connection is back."
    ),
    "phone.will_send": N_("Not sent yet. It will be sent when the connection is back."),
    "phone.refused": N_("Not saved: %(why)s"),
    "phone.note_waiting": N_("Waiting to send"),
    "phone.note_posted": N_("Your note is posted."),
    "phone.withdraw": N_("Withdraw my answer"),
    "phone.note_placeholder": N_("Write your note here…"),
    "phone.post": N_("Post note"),
    "phone.your_notes": N_("Your notes"),
    "phone.no_notes": N_("You have not posted any notes yet. You may post as many as you like."),
    "phone.hidden": N_("Not shown on the screen."),
    "phone.reason": N_("Reason:"),
    "phone.held": N_("Waiting for the facilitator."),
    "phone.held_national_id": N_("It may contain a national identity number."),
    "phone.held_phone": N_("It may contain a phone number."),
    "phone.held_email": N_("It may contain an e-mail address."),
    "phone.held_address": N_("It may contain an address."),
    "phone.held_name": N_("It may contain a person's name."),
    "phone.held_paused": N_("The facilitator looks at new notes before they go on the screen."),
    "phone.rules_default": N_(
        "Write about the matter, not about people. Notes that name or describe a person, or "
        "give a phone number, an e-mail address or an address, are not shown on the screen: "
        "they wait for the facilitator. The facilitator may hide notes that break these rules "
        "and says why; your phone shows you the reason."
    ),
    "phone.merged": N_("Merged with a similar note"),
    "phone.chars_left": P_("%(n)s character left", "%(n)s characters left"),
    "phone.chars_over": P_("%(n)s character too many", "%(n)s characters too many"),
    "phone.too_long": N_("A note can hold at most %(limit)s characters."),
    "phone.column": N_("Where does it belong?"),
    "phone.pain": N_("Pain point"),
    "phone.joy": N_("Heart point"),
    "phone.pain_hint": N_("What is difficult, worrying or makes you feel unsafe?"),
    "phone.joy_hint": N_("What works well, what do you want more of?"),
    "phone.choose_side": N_("Is it a pain point or a heart point?"),
    "phone.dots_intro": N_("Place your dots on what matters most to you."),
    "phone.dots_left": N_("%(n)s left"),
    "phone.add_dot_to": N_("Add a dot to: %(note)s"),
    "phone.remove_dot_from": N_("Take a dot back from: %(note)s"),
    "phone.dots_yours": N_("Yours"),
    "phone.dots_all": N_("All: %(n)s"),
    "phone.dots_left_say": N_("%(side)s: %(n)s left"),
    "phone.returned_hidden": N_(
        "A note you put dots on was taken off the screen. Dots back in your hand: %(n)s"
    ),
    "phone.returned_restored": N_(
        "A note came back, but not all your dots on it fit any more. Dots kept in your hand: %(n)s"
    ),
    "phone.returned_merged": N_(
        "Similar notes were merged, and one note holds at most %(cap)s of your dots. "
        "Dots back in your hand: %(n)s"
    ),
    "phone.my_dots": N_("Your dots on this note: %(n)s"),
    # rankings and points
    "phone.no_items": N_("There are no items here yet."),
    "phone.rank_hint": N_(
        "Put what matters most at the top: drag an item by ⠿, or move it with the arrows."
    ),
    "phone.move_up": N_("Move up: %(item)s"),
    "phone.move_down": N_("Move down: %(item)s"),
    "phone.rank_moved": N_("%(item)s: number %(n)s of %(total)s"),
    "phone.rank_send": N_("Send this order"),
    "phone.rank_saved": N_("Your order is saved."),
    "phone.rank_change": N_("You can change it while the ranking is open."),
    "phone.points_hint": N_(
        "Spread your %(budget)s points over the items: more points for what matters more."
    ),
    "phone.points_for": N_("Points for: %(item)s"),
    "phone.points_less": N_("Fewer points for: %(item)s"),
    "phone.points_more": N_("More points for: %(item)s"),
    "phone.points_left": N_("%(n)s of %(budget)s points left"),
    "phone.points_only": P_(
        "You have %(n)s point left to give.", "You have %(n)s points left to give."
    ),
    "phone.points_saved": N_("Your points are saved. You can move them while this is open."),
    "phone.dont_know": N_("Don't know"),
    "phone.scale_hint": N_("Choose a number for each statement. Tap it again to take it back."),
    "phone.matrix_hint": N_(
        "Place each one on both scales. Tap a chosen number again to take the place back."
    ),
    "phone.place_other": N_("Now choose on “%(axis)s” too."),
    "phone.rated": N_("%(n)s of %(total)s answered"),
    "phone.results": N_("Results"),
    # a word cloud on the phone
    "phone.words_hint": N_(
        "Up to %(n)s words, at most %(limit)s characters each. Sending again replaces your words."
    ),
    "phone.word_label": N_("Word %(n)s"),
    "phone.send_words": N_("Send"),
    "phone.words_saved": N_("Your words are saved."),
    "phone.words_change": N_("You can change them while input is open."),
    "phone.words_empty": N_("Write at least one word."),
    "phone.word_too_long": N_("A word can hold at most %(limit)s characters."),
    "phone.words_same": N_("You wrote the same word twice."),
    "phone.withdraw_words": N_("Withdraw my words"),
    "phone.ended": N_("Thank you for taking part!"),
    "phone.results_later": N_("The results will be published here, also after the meeting:"),
    "phone.see_results": N_("See the results"),
    # questions from the floor
    "phone.qa_placeholder": N_("Write your question here…"),
    "phone.qa_ask": N_("Send question"),
    "phone.qa_too_long": N_("A question can hold at most %(limit)s characters."),
    "phone.qa_sent": N_("Your question is sent."),
    "phone.qa_sent_moderated": N_(
        "Your question is sent. The moderator reads it before it goes on the screen."
    ),
    "phone.held_moderated": N_(
        "Waiting for the moderator, who reads each question before it goes on the screen."
    ),
    "phone.qa_hint": N_("Vote for the questions you want answered too. You can take a vote back."),
    "phone.qa_vote": N_("Vote"),
    "phone.qa_vote_for": N_("Vote for: %(question)s"),
    "phone.qa_voted": N_("Your vote is saved."),
    "phone.qa_unvoted": N_("Your vote is taken back."),
    "phone.qa_yours": N_("Your question"),
    "phone.qa_your_questions": N_("Your questions"),
    "phone.qa_withdraw": N_("Withdraw"),
    "phone.qa_withdraw_question": N_("Withdraw your question: %(question)s"),
    "phone.qa_withdraw_confirm": N_("Withdraw your question? This cannot be undone."),
    "phone.qa_withdrawn": N_("Withdrawn."),
    "phone.qa_withdrawn_say": N_("Your question is withdrawn."),
    # results, shared by screen and console
    "results.votes": P_("%(n)s answer", "%(n)s answers"),
    "results.hidden": N_("Results are shown when the facilitator reveals them."),
    "results.dots": P_("%(n)s dot", "%(n)s dots"),
    "results.merged": N_("+%(n)s similar"),
    "results.no_notes": N_("No notes yet."),
    "results.more_notes": P_(
        "…and %(n)s more note, kept in the record.",
        "…and %(n)s more notes, all kept in the record.",
    ),
    "results.pain": N_("Pain points"),
    "results.joy": N_("Heart points"),
    "results.responders": P_("%(n)s has answered", "%(n)s have answered"),
    "results.no_words": N_("No words yet."),
    "results.phones": P_("%(n)s phone", "%(n)s phones"),
    "results.more_words": P_("…and %(n)s more word", "…and %(n)s more words"),
    "results.mean_median": N_("Mean %(mean)s · median %(median)s"),
    "results.dont_know": N_("Don't know: %(n)s"),
    "results.no_answers": N_("No answers yet."),
    "results.top_left": N_("Quick wins"),
    "results.top_right": N_("Major projects"),
    "results.bottom_left": N_("Fill-ins"),
    "results.bottom_right": N_("Thankless tasks"),
    "results.on_a_line": N_("On a dividing line"),
    "results.qa_waiting": P_(
        "%(n)s question waits for the moderator", "%(n)s questions wait for the moderator"
    ),
    "results.qa_votes": P_("%(n)s vote", "%(n)s votes"),
    "results.qa_now": N_("Being answered now"),
    "results.qa_answered": N_("Answered"),
    "results.qa_none": N_("No questions on the list yet."),
    "results.qa_more": P_("…and %(n)s more question", "…and %(n)s more questions"),
    "results.qa_answered_count": P_("%(n)s question answered", "%(n)s questions answered"),
    "results.points": P_("%(n)s point", "%(n)s points"),
    "results.average": N_("average place %(n)s"),
    "results.no_items": N_("No items."),
    # round tables (static/js/tables.js): phones carry these only in a meeting with tables
    "tables.numbered": N_("Table %(n)s"),
    "tables.choose": N_("Which table are you sitting at?"),
    "tables.yours": N_("You are at %(table)s."),
    "tables.change": N_("Change table"),
    "tables.on_screen": N_("On the screen:"),
    "tables.all": N_("Every table"),
    # the helper page (static/js/helper.js): paper notes and hands for people without a phone
    "helper.no_key": N_("This link has no helper key. Ask the facilitator for the helper link."),
    "helper.lobby": N_("Waiting for the facilitator to start an activity."),
    "helper.nothing": N_("Nothing to put in here from paper or hands."),
    "helper.hands": N_("Count the hands"),
    "helper.hands_for": N_("Hands for %(option)s"),
    "helper.counted": N_("counted: %(n)s"),
    "helper.save": N_("Save"),
    "helper.paper": N_("A note from paper"),
    "helper.where": N_("Where:"),
    "helper.add_paper": N_("Add the paper note"),
    "helper.held": N_("waits for the facilitator"),
    "helper.table": N_("Table:"),
    # about you (kinds/about.js): strings that come with the kind's module
    "about.private": N_(
        "Anonymous and voluntary. Answers are shown only as groups of at least %(k)s people."
    ),
    "about.later": N_("The answers are shown when input is closed."),
    "about.others": N_("Others (smaller groups together)"),
    "about.not_said": N_("Did not say"),
    "about.too_few": N_("Fewer than %(k)s answered: nothing is shown."),
    "about.how": N_(
        "Groups of fewer than %(k)s people are merged into “others”, so that nobody can be "
        "picked out."
    ),
    # a survey, each phone at its own pace (static/js/survey.js): carried only in a survey
    "survey.where": N_("%(n)s of %(total)s"),
    "survey.previous": N_("Previous"),
    "survey.next": N_("Next"),
    "survey.finish": N_("Finish"),
    "survey.thanks": N_("Thank you!"),
    "survey.thanks_text": N_(
        "Your answers are saved. You can go back and change them until the survey closes."
    ),
    "survey.back": N_("Back to the answers"),
    # a table's scribe phone (static/js/tables.js, kinds/problem_scribe.js) and the console's
    # scribe codes
    "tables.scribe_yours": N_("You write the agreed answers for %(table)s"),
    "tables.scribe_heading": N_("For the table"),
    "tables.scribe_write": N_("What the table agreed on"),
    "tables.scribe_write_named": N_("What the table agreed on: %(field)s"),
    "tables.scribe_save": N_("Save as the table's answer"),
    "tables.scribe_agree": N_("The table agrees"),
    "tables.scribe_agree_named": N_("The table agrees on: %(text)s"),
    "tables.scribe_clear": N_("Not agreed after all"),
    "tables.scribe_count": P_("%(n)s scribe phone", "%(n)s scribe phones"),
    "tables.scribe_dismiss": N_("Dismiss and make a new code"),
    "tables.scribe_qr": N_("QR code that makes a phone this table's scribe"),
    # statements (kinds/statements.js): only pages that draw a statements activity carry these
    # proposed activities of a citizen promise, built SMART (kinds/actions.js): kept few and
    # short, since a phone at a meeting with this kind carries them whatever it draws
    "actions.form_title": N_("Propose an activity"),
    "actions.label_what": N_("What?"),
    "actions.label_who": N_("For or by whom?"),
    "actions.label_where": N_("Where?"),
    "actions.label_when": N_("When? A period"),
    "actions.label_indicator": N_("How will we know?"),
    "actions.label_responsible": N_("Who is responsible?"),
    "actions.propose": N_("Propose"),
    "actions.cancel": N_("Cancel"),
    "actions.specific": N_("Specific"),
    "actions.measurable": N_("Measurable"),
    "actions.accepted": N_("Accepted"),
    "actions.realistic": N_("Realistic"),
    "actions.time_bound": N_("Time-bound"),
    "actions.hint_specific": N_("Say what, for or by whom, and where."),
    "actions.hint_measurable": N_("Say how we will know: what we count or measure."),
    "actions.hint_accepted": N_("Needs more people supporting it than questioning it."),
    "actions.hint_realistic": N_("Name who is responsible."),
    "actions.hint_time_bound": N_("Give a period."),
    "actions.supports": N_("Support: %(n)s"),
    "actions.questions": N_("Questioned: %(n)s"),
    "actions.support": N_("Support it"),
    "actions.question": N_("Question it"),
    "actions.chosen": N_("Chosen"),
    "actions.yours": N_("Your proposal"),
    "actions.edit": N_("Change"),
    "actions.list": N_("Proposals"),
    "actions.none": N_("No proposals yet."),
    "actions.waiting": N_("Waiting for review: %(n)s"),
    "actions.more": N_("…and %(n)s more"),
    "actions.chosen_heading": N_("Chosen activities"),
    "statements.agree": N_("Agree"),
    "statements.disagree": N_("Disagree"),
    "statements.pass": N_("Pass"),
    "statements.progress": N_("Statement %(n)s of %(total)s"),
    "statements.done": N_("You have answered every statement. You can change your answers below."),
    "statements.none_yet": N_("No statements yet. You can propose one below."),
    "statements.saved": P_("Saved. %(n)s statement left.", "Saved. %(n)s statements left."),
    "statements.saved_last": N_("Saved. That was the last statement."),
    "statements.yours": N_("Your answers"),
    "statements.propose_title": N_("Missing a statement?"),
    "statements.propose_hint": N_(
        "Write one claim that others can agree or disagree with. The facilitator reads it before "
        "everyone can answer it."
    ),
    "statements.propose_placeholder": N_("Your statement…"),
    "statements.propose": N_("Send to the facilitator"),
    "statements.too_long": N_("A statement can hold at most %(limit)s characters."),
    "statements.proposed": N_("Sent. The facilitator reads it first."),
    "statements.your_proposals": N_("Your statements"),
    "statements.approved": N_("Approved: everyone can answer it now."),
    "statements.your_group": N_("You are in group %(label)s."),
    "statements.group_differs": N_("What sets your group apart from the others:"),
    "statements.no_group": N_(
        "Opinion groups appear when %(n)s people have answered at least %(k)s statements each."
    ),
    "statements.group": N_("Group %(label)s"),
    "statements.people": P_("%(n)s person", "%(n)s people"),
    "statements.consensus": N_("Where most agree"),
    "statements.divisive": N_("Where opinions split"),
    "statements.groups": N_("Opinion groups"),
    "statements.agree_share": N_("%(share)s agree"),
    "statements.disagree_share": N_("%(share)s disagree"),
    "statements.split": N_("%(agree)s agree, %(disagree)s disagree"),
    "statements.apart_agree": N_("agree more than the others: %(group)s against %(rest)s"),
    "statements.apart_disagree": N_("disagree more than the others: %(group)s against %(rest)s"),
    "statements.nothing": N_("Nothing yet."),
    # the console's, for statements: phones never load these
    "console.statements_all": N_("All statements"),
    "console.statements_proposals": N_("Statements from participants"),
    "console.statements_waiting_count": P_("%(n)s waits for you", "%(n)s wait for you"),
    "console.statements_no_proposals": N_("No statements from participants yet."),
    "console.statements_approve": N_("Approve"),
    "console.statements_approve_named": N_("Approve: %(text)s"),
    "console.statements_hide_reason": N_(
        "Why hide this statement? (kept in the record and shown on the phone that wrote it)"
    ),
    "console.statements_is_approved": N_("Approved"),
    # problem description and cause analysis (kinds/problem.js): only its meetings carry these
    "problem.what": N_("What is the problem?"),
    "problem.where": N_("Where?"),
    "problem.when": N_("When?"),
    "problem.offender": N_("Who causes it?"),
    "problem.target": N_("Who or what is hit?"),
    "problem.consequences": N_("Consequences"),
    "problem.why_n": N_("Why? (%(n)s)"),
    "problem.fixer": N_("Who can fix it?"),
    "problem.guardian": N_("Who watches over the target?"),
    "problem.handler": N_("Who has influence over the one who causes it?"),
    "problem.manager": N_("Who is responsible for the place?"),
    "problem.starting_point": N_("Starting point"),
    "problem.step": N_("Question %(n)s of %(total)s"),
    "problem.go_to": N_("Go to question"),
    "problem.previous": N_("Previous question"),
    "problem.next": N_("Next question"),
    "problem.placeholder": N_("Write your answer…"),
    "problem.add": N_("Add answer"),
    "problem.too_long": N_("An answer can hold at most %(limit)s characters."),
    "problem.agreed": N_("Agreed"),
    "problem.suggested": N_("Suggestions – nothing agreed yet"),
    "problem.others": N_("What others have written"),
    "problem.none_yet": N_("Nothing written here yet."),
    "problem.more": P_("and %(n)s more", "and %(n)s more"),
    "problem.scribe": N_("written down by the scribe"),
    "problem.suggestions": P_(
        "%(n)s suggestion: see your phone", "%(n)s suggestions: see your phones"
    ),
    "problem.yours": N_("Your answers here"),
    "problem.withdraw_confirm": N_("Withdraw this answer?"),
    "problem.triangle": N_("The problem triangle"),
    "problem.whys": N_("Why? Asked again and again"),
    # the console's, for problem descriptions: phones never load these
    "console.problem_agree": N_("Agree on this"),
    "console.problem_agree_named": N_("Mark as agreed: %(text)s"),
    "console.problem_clear": N_("Clear agreed"),
    "console.problem_clear_named": N_("No agreed answer for: %(field)s"),
    "console.problem_scribe": N_("Write an answer for someone without a phone"),
    "console.problem_scribe_named": N_("Answer to write for: %(field)s"),
    "console.problem_scribe_add": N_("Add"),
    "console.problem_closed": N_("Opens when the “why?” above has an answer."),
    "console.problem_withdrawn": P_(
        "%(n)s answer withdrawn by the one who wrote it",
        "%(n)s answers withdrawn by those who wrote them",
    ),
    "console.problem_hide_reason": N_(
        "Why hide this answer? (kept in the record and shown on the phone that wrote it)"
    ),
    # screen
    "screen.participants": N_("%(n)s connected"),
    "screen.closed": N_("Closed"),
    "screen.ended": N_("Thank you!"),
    "screen.results_at": N_("The results will be published at"),
    # console
    "console.lobby": N_("Join screen"),
    "console.open": N_("Open input"),
    "console.close": N_("Close input"),
    "console.reveal": N_("Show results"),
    "console.conceal": N_("Hide results"),
    "console.next": N_("Next"),
    "console.previous": N_("Previous"),
    "console.phase_notes": N_("Phase 1: notes"),
    "console.phase_dots": N_("Phase 2: dots"),
    "console.actions_write": N_("Write down a proposal for someone without a phone"),
    "console.actions_edit": N_("Change the proposal:"),
    "console.actions_add": N_("Add the proposal"),
    "console.actions_held": P_("%(n)s proposal waits for you", "%(n)s proposals wait for you"),
    "console.actions_by_facilitator": N_("written down by the facilitator"),
    "console.actions_choose": N_("Choose"),
    "console.actions_choose_for": N_("Choose: %(action)s"),
    "console.actions_unchoose": N_("Unchoose"),
    "console.actions_unchoose_for": N_("Unchoose: %(action)s"),
    "console.actions_edit_for": N_("Change: %(action)s"),
    "console.actions_hide_for": N_("Hide: %(action)s"),
    "console.actions_restore_for": N_("Show again: %(action)s"),
    "console.actions_release_for": N_("Let it through: %(action)s"),
    "console.actions_showing": N_("Showing %(shown)s of %(n)s proposals."),
    "console.actions_too_long": N_("Too long: at most %(limit)s characters in each field."),
    "console.hide": N_("Hide"),
    "console.restore": N_("Show again"),
    "console.merge": N_("Merge selected into this"),
    "console.hide_reason": N_(
        "Why hide this note? (kept in the record and shown on the phone that wrote it)"
    ),
    "console.hidden": N_("Hidden"),
    "console.is_open": N_("Input open"),
    "console.is_closed": N_("Input closed"),
    "console.results_shown": N_("Results on screen"),
    "console.results_hidden": N_("Results hidden"),
    "console.screens": N_("Screens connected: %(n)s"),
    "console.no_screen": N_("No screen connected"),
    "console.phones": N_("Phones connected: %(n)s"),
    "console.joined": N_("Joined so far: %(n)s"),
    "console.responders": N_("%(n)s answered"),
    "console.bad_key": N_(
        "This console link is not valid. Use the link you got when the meeting was created."
    ),
    "console.no_key": N_("The facilitator key is missing from the link."),
    # Checkboxes and buttons named with their note: twenty "Hide" in a row say nothing.
    "console.select_note": N_("Select: %(note)s"),
    "console.hide_note": N_("Hide: %(note)s"),
    "console.restore_note": N_("Show again: %(note)s"),
    "console.release_note": N_("Let it through: %(note)s"),
    "console.merge_note": N_("Merge selected into this: %(note)s"),
    "console.copied": N_("Copied"),
    "console.copy_by_hand": N_("Press Ctrl+C (or ⌘+C) to copy the selected link."),
    "console.dots": P_("%(n)s dot", "%(n)s dots"),
    "console.showing": N_("Showing the newest %(shown)s of %(n)s notes."),
    "console.delete_confirm": N_(
        "This deletes the meeting and its whole record for good; phones and the screen are "
        "disconnected. Download the minutes first. Type the code %(code)s to delete:"
    ),
    "console.deleted": N_("The meeting is deleted."),
    "console.ended": N_(
        "The meeting has ended: phones show a thank-you and where the results will be."
    ),
    "console.published": N_("The results are published at %(url)s"),
    "console.not_published": N_("The results are not published."),
    "console.unpublish": N_("Unpublish the results"),
    "console.publish": N_("Publish the results"),
    "console.remove": N_("Remove"),
    "console.nothing_yet": N_("Nothing yet."),
    "console.download_failed": N_("The download failed: %(reason)s"),
    # questions from the floor: the queue, the list, the one on the screen, the answered
    "console.qa_queue": P_(
        "%(n)s question waits for your approval", "%(n)s questions wait for your approval"
    ),
    "console.qa_queue_intro": N_(
        "Only you see these. Approve each one for the screen, or hide it with a reason."
    ),
    "console.held_moderated": N_("waits for approval"),
    "console.qa_approve": N_("Approve"),
    "console.qa_approve_question": N_("Approve: %(question)s"),
    "console.qa_list": N_("On the list, most votes first"),
    "console.qa_show": N_("Show large"),
    "console.qa_show_question": N_("Show large on the screen: %(question)s"),
    "console.qa_unshow": N_("Take it off the screen"),
    "console.qa_on_screen": N_("On the screen now"),
    "console.qa_mark": N_("Answered"),
    "console.qa_mark_question": N_("Mark answered: %(question)s"),
    "console.qa_answer_prompt": N_(
        "A short note on the answer, for the minutes (optional, at most 500 characters):"
    ),
    "console.qa_edit": N_("Edit the note"),
    "console.qa_edit_question": N_("Edit the answer note: %(question)s"),
    "console.qa_reopen": N_("Not answered after all"),
    "console.qa_reopen_question": N_("Not answered after all: %(question)s"),
    "console.qa_hide_reason": N_(
        "Why hide this question? (kept in the record and shown on the phone that asked it)"
    ),
    "console.qa_withdrawn": P_(
        "%(n)s question withdrawn by the person who asked",
        "%(n)s questions withdrawn by the people who asked",
    ),
    # moderation: notes waiting for review, the paused wall, hiding many, rules, warnings
    "console.paper": N_("from paper"),
    "console.survey": N_("Survey: each phone at its own pace"),
    "console.survey_when": N_("Takes answers from %(opens)s until %(closes)s."),
    "console.survey_days": N_("New people who answered, per day"),
    "console.survey_day": N_("Day"),
    "console.survey_new": N_("New"),
    "console.survey_none": N_("Nobody has answered yet."),
    "console.pause": N_("Pause the wall"),
    "console.resume": N_("Resume the wall"),
    "console.pause_help": N_("New notes go on the screen at once. Pause to see each one first."),
    "console.paused_help": N_("Paused: new notes wait for you until you resume."),
    "console.paused": N_("Wall paused"),
    "console.held_count": P_("%(n)s note waits for you", "%(n)s notes wait for you"),
    "console.held_intro": N_(
        "Only you see these. Let each one through to the screen, or hide it with a reason."
    ),
    "console.waiting": N_("Waiting for you"),
    "console.held_national_id": N_("looks like a national identity number"),
    "console.held_phone": N_("looks like a phone number"),
    "console.held_email": N_("looks like an e-mail address"),
    "console.held_address": N_("looks like a street address"),
    "console.held_name": N_("looks like a person's name"),
    "console.held_paused": N_("arrived while the wall was paused"),
    "console.release": N_("Let it through"),
    "console.words_held": P_("%(n)s word waits for you", "%(n)s words wait for you"),
    "console.hide_word_reason": N_(
        "Why hide “%(word)s”? (kept in the record and shown on the phones that sent it)"
    ),
    "console.showing_words": N_("Showing %(shown)s of %(n)s words."),
    "console.hide_held": N_("Hide all waiting notes…"),
    "console.hide_held_reason": P_(
        "Hide the note that waits for you? Give a reason (kept in the record and shown on the "
        "phone that wrote it):",
        "Hide all %(n)s notes that wait for you? One reason for all of them (kept in the "
        "record and shown on the phones that wrote them):",
    ),
    "console.tick_hint": N_("Tick notes to merge them or to hide them together."),
    "console.ticked": N_("%(n)s ticked"),
    "console.hide_ticked": N_("Hide the ticked notes…"),
    "console.hide_ticked_reason": P_(
        "Hide the ticked note? Give a reason (kept in the record and shown on the phone that "
        "wrote it):",
        "Hide the %(n)s ticked notes? One reason for all of them (kept in the record and "
        "shown on the phones that wrote them):",
    ),
    "console.untick": N_("Untick all"),
    "console.merge_hint": N_(
        "To merge them, press “Merge selected into this” on the note to keep."
    ),
    "console.hide_since": N_("Hide every note from the last:"),
    "console.hide_since_reason": N_(
        "Hide every note posted in the last %(span)s, waiting ones included? One reason for "
        "all of them (kept in the record and shown on the phones that wrote them):"
    ),
    "console.one_minute": N_("1 minute"),
    "console.minutes": P_("%(n)s minute", "%(n)s minutes"),
    "console.edit_rules": N_("The rules the phones see…"),
    "console.rules_own": N_("The phones show your rules."),
    "console.rules_standard": N_("The phones show the standard rules, each in its own language."),
    "console.alert_joins": P_(
        "%(n)s new phone from one device or network in the last minute.",
        "%(n)s new phones from one device or network in the last minute.",
    ),
    "console.alert_joins_help": N_(
        "A whole hall often shares one network, so this can be normal. If it is not your "
        "hall's own network, someone may be flooding the meeting: pause the wall and hide "
        "the notes in bulk."
    ),
    "console.alert_notes": P_(
        "%(n)s note from one device or network in the last minute.",
        "%(n)s notes from one device or network in the last minute.",
    ),
    "console.alert_notes_help": N_(
        "If that is not your hall's own network, someone may be flooding the meeting: pause "
        "the wall and hide the notes in bulk."
    ),
    "console.alert_pause": N_("Pause the wall now"),
    # start page
    "start.creating": N_("Creating the meeting…"),
    "start.ready": N_("Your meeting is ready. Join code: %(code)s"),
    "start.copied": N_("Copied"),
    "start.copy_by_hand": N_("The link is selected: copy it with Ctrl+C (⌘+C on a Mac)."),
    "start.invalid": N_("The meeting was not created: fix what is marked below."),
    "start.offline": N_(
        "The meeting was not created: the server could not be reached. Check the connection and"
        " try again."
    ),
    "start.token": N_("The admin token is missing or wrong."),
    "start.too_many": N_(
        "Many meetings were started from this device in the last hour. Try again later."
    ),
    "start.full": N_(
        "The server's database is full. Ask whoever runs the server to delete old meetings."
    ),
    "start.failed": N_("The meeting was not created (%(reason)s)."),
    "start.in_activity": N_("Activity %(n)s: %(problem)s"),
    "start.in_option": N_("Activity %(n)s, option %(item)s: %(problem)s"),
    "start.in_column": N_("Activity %(n)s, column %(item)s: %(problem)s"),
    "start.problem_required": N_("write something here"),
    "start.problem_too_long": N_("at most %(limit)s characters (this is %(length)s)"),
    "start.problem_options": N_("give %(low)s to %(high)s options, one per line"),
    "start.problem_columns": N_("give no columns, or %(low)s to %(high)s, one per line"),
    "start.problem_number": N_("give a whole number from %(low)s to %(high)s"),
    "start.problem_items": N_("give %(low)s to %(high)s items, one per line"),
    "start.problem_steps": N_("give a larger number than “From”, at most %(high)s numbers in all"),
    "start.problem_ends": N_("give two lines: what the lowest and the highest number mean"),
    "start.problem_axis": N_("say what this scale measures"),
    "start.problem_no_dots": N_("give at least one dot"),
    "start.problem_no_items": N_("give the items, one per line"),
    "start.problem_items_from": N_(
        "choose an earlier activity, and how many of its top items to take (1 to %(high)s)"
    ),
    "start.problem_items_from_unknown": N_("choose an activity above this one with items to give"),
    "start.problem_no_activities": N_("Add at least one activity."),
    "start.problem_too_many": N_("At most %(limit)s activities."),
    "start.problem_other": N_("this cannot be used as it is"),
}

ERRORS = {
    "bad_message": N_("The app sent something the server did not understand. Reload the page."),
    "too_big": N_("That was too long to send."),
    "unknown_command": N_("The server does not know that request. Reload the page."),
    "forbidden": N_("Only the facilitator can do that."),
    "unknown_activity": N_("That activity is not in this meeting. Reload the page."),
    "no_input": N_("This slide takes no input."),
    "closed": N_("Input is closed for this activity."),
    "no_table": N_("Choose the table you sit at first."),
    "unknown_table": N_("There is no such table in this meeting."),
    "bad_scribe_code": N_(
        "That scribe code is not valid (any more). Ask the facilitator for the table's code."
    ),
    "unknown_participant": N_("That phone is not in this meeting."),
    "bad_count": N_("Give the number of hands as a whole number."),
    "unknown_question": N_("That question is not in this activity. Reload the page."),
    "survey_not_open": N_("The survey has not opened yet."),
    "survey_closed": N_("The survey has closed. Thank you for your interest."),
    "wrong_kind": N_("That does not fit this activity. Reload the page."),
    "unknown_option": N_("That answer is not an option here."),
    "single_choice": N_("Choose only one answer."),
    "none_alone": N_("“None of these” cannot be combined with other answers."),
    "not_collecting": N_("Notes are closed; it is time to place dots."),
    "empty_note": N_("Write something first."),
    "too_long": N_("A note can hold at most %(limit)s characters."),
    "bad_column": N_("Choose where the note belongs."),
    "bad_kind": N_("Choose pain point or heart point."),
    "unknown_note": N_("That note is not here any more."),
    "bad_merge": N_("These notes cannot be merged."),
    "merge_hidden": N_("A hidden note cannot be merged: restore it first."),
    "merge_held": N_("A note waiting for review cannot be merged: let it through first."),
    "not_held": N_("Only a note waiting for review can be let through."),
    "bad_selection": N_("Choose the notes to hide."),
    "nothing_to_hide": N_("There is no note to hide there."),
    "not_dotting": N_("Dots can be placed once the notes are in."),
    "note_gone": N_("That note is no longer on the board."),
    "no_dot": N_("You have no dot on that note."),
    "no_dots_left": N_("All your dots of this kind are placed. Take one back to move it."),
    "cap_reached": N_("At most %(limit)s dots on one note."),
    "bad_phase": N_("That phase does not exist."),
    "duplicate_item": N_("Each item can have only one place in your order."),
    "missing_items": N_("Put every item in your order: %(n)s left out."),
    "bad_points": N_("Points are whole numbers, 0 or more."),
    "over_budget": N_("That is %(total)s points; you have %(budget)s to give."),
    "not_visible": N_("That note is hidden already."),
    "not_hidden": N_("Only a hidden note can be shown again."),
    "too_many_words": N_("At most %(limit)s words."),
    "empty_word": N_("One of the words is empty."),
    "word_too_long": N_("A word can hold at most %(limit)s characters."),
    "same_word": N_("You wrote the same word twice."),
    "unknown_word": N_("No one has sent that word here."),
    "word_hidden": N_("That word is hidden already."),
    "word_not_hidden": N_("Only a hidden word can be shown again."),
    "word_not_held": N_("Only a word waiting for review can be let through."),
    "unknown_item": N_("That item is not in this activity. Reload the page."),
    "out_of_range": N_("Choose a number from %(low)s to %(high)s."),
    "no_dont_know": N_("“Don't know” is not an answer here: choose a number."),
    "bad_rating": N_("Choose a number or “Don't know”, not both."),
    "both_axes": N_("Place it on both scales."),
    "unknown_statement": N_("That statement is not here. Reload the page."),
    "statement_pending": N_("That statement waits for the facilitator."),
    "statement_hidden": N_("That statement was taken off by the facilitator."),
    "bad_stance": N_("Answer agree, disagree or pass."),
    "no_proposals": N_("This activity takes no new statements."),
    "too_many_proposals": N_("One phone can propose at most %(limit)s statements here."),
    "proposals_full": N_("This activity takes no more new statements."),
    "duplicate_statement": N_("That statement is there already: answer it instead."),
    "not_a_proposal": N_("Only statements from participants wait for approval."),
    "statements_full": N_("An activity holds at most %(limit)s statements."),
    "own_question": N_("You cannot upvote your own question."),
    "already_upvoted": N_("You have already upvoted this question."),
    "no_upvote": N_("You have not upvoted this question."),
    "question_gone": N_("That question is not on the list."),
    "already_answered": N_("That question has been answered."),
    "not_answered": N_("That question is not marked as answered."),
    "not_yours": N_("Only the person who asked a question can withdraw it."),
    "no_such_field": N_("That question is not in this form. Reload the page."),
    "why_not_open": N_("Answer the “why?” before this one first."),
    "why_needed": N_(
        "The next “why?” builds on this answer. Write another answer here before taking this "
        "one away."
    ),
    "problem_full": N_("This activity takes no more answers."),
    "too_many_contributions": N_(
        "You have %(limit)s answers to this question. Withdraw one to add another."
    ),
    "unknown_contribution": N_("That answer is not here any more."),
    "not_your_contribution": N_("Only the person who wrote an answer can withdraw it."),
    "contribution_gone": N_("That answer is no longer on the list."),
    "contribution_not_visible": N_("Only an answer everyone can see can be the agreed one."),
    "contribution_not_hidden": N_("Only a hidden answer can be shown again."),
    "contribution_not_held": N_("Only an answer waiting for review can be let through."),
    "unknown_action": N_("That proposal is not here. Reload the page."),
    "not_your_action": N_("Only the person who proposed an activity can change it."),
    "action_gone": N_("That proposal is not on the list."),
    "action_chosen": N_("That activity has been chosen: ask the facilitator to change it."),
    "own_action": N_("You cannot support or question your own proposal."),
    "bad_action_stance": N_("Support or question the proposal."),
    "no_stance": N_("You have not supported or questioned this proposal."),
    "too_many_actions": N_("One phone can propose at most %(limit)s activities here."),
    "actions_full": N_("This activity takes no more proposals."),
    "slow_down": N_("That is a lot at once. Wait a little and try again."),
    "bad_token": N_("Your phone's key for this meeting is damaged. Reload the page."),
    "bad_key": N_("This link's key is not valid for this meeting."),
    "bad_role": N_("Unknown role."),
    "storage": N_("The server could not save that. Try again in a moment."),
    "empty_text": N_("Write something first."),
    "too_long_text": N_("That is too long: at most %(limit)s characters."),
    "unknown_entry": N_("That entry is not there any more."),
    "unknown_meeting": N_("No meeting has this code. Check the code on the screen."),
    "too_many_guesses": N_("Too many wrong codes from this device. Wait a minute and try again."),
    "too_many_connections": N_("Too many connections from this device. Close some tabs."),
    "too_many_new_phones": N_(
        "Many phones are joining from this network right now. Wait a moment: this page tries"
        " again by itself."
    ),
    # the phone page without scripts (facilitate/web/plain.py)
    "nothing_chosen": N_("Choose an answer first."),
    "not_a_number": N_("Write whole numbers only, such as 3."),
    "bad_place": N_("Give every item a number from 1 to %(n)s."),
    "same_place": N_("Two items have the same number: give each its own, from 1 to %(n)s."),
    "needs_app": N_(
        "This activity cannot be answered on the simple page. Turn on JavaScript, or use "
        "another phone."
    ),
    "no_cookie": N_(
        "Your browser did not send this meeting's cookie. Allow cookies for this address, then "
        "reload the page."
    ),
    "stale_form": N_("This form is out of date. Check what you wrote and send it again."),
    "other_site": N_(
        "This form was sent from another site. Open the meeting's page and try again."
    ),
}


# The phone loads on weak Wi-Fi: its page carries only the strings its scripts use
# (participant.js, live.js and the kinds' phone parts; tests/web/test_pages.py keeps the list
# honest), and a kind's own strings ("<kind>.…") only when its plan has that kind. The public
# results page, which phones open too, carries only the results' strings.
PHONE_STRINGS = ("phone.", "status.", "results.", "console.bad_key")
HELPER_STRINGS = ("helper.", "status.", "phone.pain", "phone.joy", "phone.none", "console.bad_key")
RESULTS_STRINGS = ("results.", "phone.none")
PAGE_STRINGS = {
    "participant.html": PHONE_STRINGS,
    "helper.html": HELPER_STRINGS,
    "kiosk.html": PHONE_STRINGS,  # the kiosk's own words are in its page (templates/kiosk.html)
    "results.html": RESULTS_STRINGS,
    "process.html": ("process.",),
    "follow.html": (),  # no script: a page anyone can print or read without JavaScript
    "poster.html": (),  # no script either
    "plain.html": (),  # the phone page without scripts: every text is in the page itself
}


def has_own(kind: str) -> bool:
    """Whether a kind has strings of its own (`statements.agree`)."""
    prefix = f"{kind}."
    return any(key.startswith(prefix) for key in SCRIPT)


@functools.cache
def plural_samples(lang: str) -> dict[str, int]:
    """A count for each plural category of `lang` (CLDR's, as Intl.PluralRules names them):
    {"one": 1, "other": 0} in nb; zero, one, two, few, many and other in ar. The page picks a
    counted text's form by category (static/js/i18n.js); gettext picks it by count."""
    rule = Locale.parse(lang).plural_form
    samples: dict[str, int] = {}
    for n in range(200):
        samples.setdefault(rule(n), n)
    # pl and uk say "other" only of fractions, and counts are whole: their many-form stands in.
    samples.setdefault("other", samples.get("many", 2))
    return samples


def script_strings(
    translations: Translations,
    only: tuple[str, ...] | None = None,
    kinds: Iterable[str] = (),
    *,
    lang: str,
) -> dict[str, str | dict[str, str]]:
    """The script strings, translated: all of them, or those whose key starts with one of
    `only` or with one of `kinds` and a dot (a kind's own strings, for a page that draws it).
    A counted text becomes its plural forms by the categories of `lang`, the translations'
    language ({"one": …, "other": …} in nb; zero, one, two, few, many and other in ar), leaving
    out a category that says what "other" says (the page falls back to it): a phone on weak
    Wi-Fi is not sent the same words twice."""
    if only is not None:
        only = (*only, *(f"{kind}." for kind in kinds))
    samples = plural_samples(lang)
    result: dict[str, str | dict[str, str]] = {}
    for key, message in SCRIPT.items():
        if only is not None and not key.startswith(only):
            continue
        if isinstance(message, tuple):
            singular, plural = message
            forms = {
                category: translations.ngettext(singular, plural, n)
                for category, n in samples.items()
            }
            result[key] = {
                category: form
                for category, form in forms.items()
                if category == "other" or form != forms["other"]
            }
        else:
            result[key] = translations.gettext(message)
    return result


def error_text(translations: Translations, code: str, params: dict[str, Any]) -> str:
    """A refused command's message for the person who sent it, in their language."""
    message = translations.gettext(ERRORS.get(code, ERRORS["bad_message"]))
    try:
        return message % params if params else message
    except (KeyError, TypeError, ValueError):
        return message
