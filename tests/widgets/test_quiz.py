"""The ungraded self-check quiz."""

import pytest

from backprop_lib.widgets import Quiz, QuizQuestion

QUESTIONS = [
    ("What shape has `X @ W` for X (4, 3) and W (3, 5)?", ("(4, 5)", "(3, 3)"), 0, "Outer sizes."),
    ("Is ReLU linear?", ("yes", "no"), 1, "It bends at 0."),
]


def test_choosing_an_option_gives_instant_feedback():
    """Does picking an option say at once whether it is right, and keep the score?"""
    quiz = Quiz(QUESTIONS)
    quiz.choose(0, 1)
    assert "Not quite" in quiz._feedback[0].value and quiz.score == 0
    quiz.choose(0, 0)
    assert "Right" in quiz._feedback[0].value and "Outer sizes." in quiz._feedback[0].value
    assert quiz.score == 1
    assert "1 of 2 right" in quiz._score.value


def test_code_in_prompts_is_shown_as_code():
    """Are `backticks` in a prompt rendered as <code>?"""
    quiz = Quiz(QUESTIONS)
    prompts = [child.value for child in quiz.widget.children if "X @ W" in str(child.value)]
    assert prompts and "<code>X @ W</code>" in prompts[0]


def test_plain_text_fallback_lists_questions_and_options():
    """Without a live notebook, does the quiz read as text with lettered options?"""
    bundle = Quiz(QUESTIONS)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "2. Is ReLU linear?" in bundle["text/plain"] and "(b) no" in bundle["text/plain"]


def test_answer_index_must_name_an_option():
    """Is a question whose answer index is out of range refused?"""
    with pytest.raises(ValueError, match="not an index"):
        QuizQuestion("?", ("a", "b"), 2, "")
    with pytest.raises(ValueError, match="at least one"):
        Quiz([])
