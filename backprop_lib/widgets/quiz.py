"""An ungraded self-check quiz with instant feedback.

Each question is a set of radio buttons; choosing an option immediately
says whether it is right and why. Nothing is recorded or graded. Outside a
live notebook (an autograder, a static HTML page) the quiz shows as plain
text listing the questions.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import ipywidgets as widgets

__all__ = ["QuizQuestion", "Quiz"]


@dataclass(frozen=True)
class QuizQuestion:
    """One multiple-choice question.

    Parameters
    ----------
    prompt : str
        The question; may contain LaTeX between ``$...$``.
    options : tuple of str
    answer : int
        Index of the right option.
    explanation : str
        Why the right option is right, shown once it is chosen.
    """

    prompt: str
    options: tuple
    answer: int
    explanation: str

    def __post_init__(self):
        if not 0 <= self.answer < len(self.options):
            raise ValueError(f"answer {self.answer} is not an index of {len(self.options)} options")

    def verdict(self, choice):
        """Feedback text for the option at index ``choice`` (``None``: nothing chosen)."""
        if choice is None:
            return ""
        if choice == self.answer:
            return f"\u2713 Right. {self.explanation}"
        return "\u2717 Not quite; think again and pick another option."


def _inline_markdown(text):
    """HTML for text with `code` spans (LaTeX between $...$ is left for MathJax)."""
    parts = re.split(r"`([^`]+)`", text)
    return "".join(
        f"<code>{html.escape(part)}</code>" if i % 2 else html.escape(part, quote=False)
        for i, part in enumerate(parts)
    )


class Quiz:
    """A list of :class:`QuizQuestion` shown as radio buttons with instant feedback.

    Parameters
    ----------
    questions : sequence of QuizQuestion or tuple
        Tuples are passed to :class:`QuizQuestion`.
    title : str
    """

    def __init__(self, questions, title="Self-check quiz"):
        self.questions = [q if isinstance(q, QuizQuestion) else QuizQuestion(*q) for q in questions]
        if not self.questions:
            raise ValueError("a quiz needs at least one question")
        self.title = title
        self._widget = None
        self._choices = [None] * len(self.questions)

    @property
    def score(self):
        """Number of questions currently answered right."""
        return sum(c == q.answer for c, q in zip(self._choices, self.questions))

    def choose(self, number, option):
        """Select ``option`` (an index) for question ``number``, as a click would."""
        self.widget  # noqa: B018  (builds the widgets)
        self._buttons[number].index = option

    @property
    def widget(self):
        """The ipywidgets box, built on first use."""
        if self._widget is None:
            self._widget = self._build()
        return self._widget

    def _build(self):
        self._buttons, self._feedback = [], []
        rows = [widgets.HTML(f"<h4>{self.title}</h4>")]
        for number, question in enumerate(self.questions):
            buttons = widgets.RadioButtons(
                options=[option.replace("`", "") for option in question.options],
                index=None,
                layout={"width": "max-content"},
            )
            feedback = widgets.HTMLMath("")
            buttons.observe(lambda change, n=number: self._on_choice(n, change["new"]), "index")
            self._buttons.append(buttons)
            self._feedback.append(feedback)
            prompt = f"<b>{number + 1}.</b> {_inline_markdown(question.prompt)}"
            rows += [widgets.HTMLMath(prompt), buttons, feedback]
        self._score = widgets.HTML(self._score_text())
        rows.append(self._score)
        return widgets.VBox(rows)

    def _on_choice(self, number, index):
        self._choices[number] = index
        self._feedback[number].value = _inline_markdown(self.questions[number].verdict(index))
        self._score.value = self._score_text()

    def _score_text(self):
        return f"<i>{self.score} of {len(self.questions)} right so far.</i>"

    def as_text(self):
        """The questions and options as plain text (for non-interactive output)."""
        lines = [self.title]
        for number, question in enumerate(self.questions, start=1):
            lines.append(f"{number}. {question.prompt}")
            lines += [f"   ({chr(97 + i)}) {option}" for i, option in enumerate(question.options)]
        return "\n".join(lines)

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude) or {}
        bundle["text/plain"] = self.as_text()
        return bundle
