# Shortcuts for course.py, which needs only Python 3.10+ (no make required).
PYTHON ?= python3

.PHONY: lab test lessons setup
lab:
	$(PYTHON) course.py lab
test:
	$(PYTHON) course.py test
lessons:
	$(PYTHON) course.py lessons
setup:
	$(PYTHON) course.py setup
