"""The grading status book: saved atomically, read back the same, robust to damage."""

from __future__ import annotations

from backprop_lib.instructor.status import Problem, StatusBook, SubmissionStatus


def test_statuses_survive_a_round_trip(tmp_path):
    """Is a recorded status read back exactly, by a new book on the same folder?"""
    status = SubmissionStatus(
        "ann", "graded with problems", [Problem("kernel_died", "x")], "f", 1.5
    )
    StatusBook(tmp_path, "a").record(status)
    again = StatusBook(tmp_path, "a").get("ann")
    assert again == status and again.codes == ["kernel_died"]
    assert not list((tmp_path / "grading_status").glob("*.tmp"))


def test_a_damaged_book_means_grading_everything_again(tmp_path):
    """Does an unreadable status file count as no status, rather than crash?"""
    (tmp_path / "grading_status").mkdir()
    (tmp_path / "grading_status" / "a.json").write_text("{not json")
    assert StatusBook(tmp_path, "a").statuses == {}


def test_forget_drops_one_student(tmp_path):
    """Does forgetting a student keep the others?"""
    book = StatusBook(tmp_path, "a")
    book.record(SubmissionStatus("ann", "ok"))
    book.record(SubmissionStatus("ben", "ok"))
    book.forget("ann")
    assert set(StatusBook(tmp_path, "a").statuses) == {"ben"}
