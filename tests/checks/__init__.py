"""Tests of the student checks: each known mistake is named, correct code passes."""
