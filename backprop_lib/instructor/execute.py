"""Run one submitted notebook in a kernel, whatever the notebook does.

:class:`GuardedExecute` is nbgrader's ``Execute`` preprocessor (same traits,
same outputs, so the same grades) run cell by cell on a kernel that was
started beforehand, with the guards a batch of untrusted notebooks needs:

- a time limit for the whole notebook on top of nbgrader's per-cell one;
- a cap on the output of a cell: a cell that floods is stopped and marked;
- a kernel that dies, or no longer answers after a time-out, stops the run;
  the cells it could not run are marked as errors, so they score zero
  (nbgrader would give an unexecuted test cell full marks).

What went wrong is collected as :class:`~backprop_lib.instructor.status.Problem` objects.
"""

from __future__ import annotations

import asyncio
import json
from queue import Empty
from time import monotonic

from jupyter_core.utils import ensure_async
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Integer

from .status import Problem

__all__ = ["GuardedExecute", "cell_name"]

#: Counted for every output message, so a flood of empty messages is a flood too.
_MESSAGE_OVERHEAD = 64


def cell_name(cell, index):
    """A cell's grade_id, or its position when it has none."""
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or f"cell {index + 1}"


def error_output(ename, evalue):
    """An error output, as a kernel would send it; nbgrader scores its cell zero."""
    return NotebookNode(
        output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"]
    )


class GuardedExecute(Execute):
    """nbgrader's ``Execute``, run on a given kernel with limits for a whole batch."""

    notebook_timeout = Integer(
        300, help="Seconds a whole notebook may run; later cells are not run."
    ).tag(config=True)
    max_output_bytes = Integer(
        2_000_000, help="Output one cell may produce before it is stopped (bytes)."
    ).tag(config=True)
    responsive_timeout = Integer(
        10, help="Seconds a kernel has to answer again after a cell was interrupted."
    ).tag(config=True)

    async def run(self, nb, resources, kernel):
        """Execute ``nb`` on ``kernel`` (a started :class:`~.kernels.Kernel`).

        Returns
        -------
        nb : NotebookNode
            The executed notebook (also modified in place).
        problems : list of Problem
        """
        NotebookClient.__init__(self, nb, kernel.manager)
        self.reset_execution_trackers()
        self.resources = resources
        self.kc = kernel.client
        self.problems, self._output_bytes, self._flooded = [], {}, set()
        self._deadline = monotonic() + self.notebook_timeout
        self.timeout_func = self._cell_timeout
        info = await self.async_wait_for_reply(await ensure_async(self.kc.kernel_info()))
        if info is not None:
            nb.metadata["language_info"] = info["content"]["language_info"]
        stopped = None
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or not cell.source.strip():
                continue
            if stopped is None and monotonic() >= self._deadline:
                stopped = Problem(
                    "notebook_timeout",
                    f"the notebook used up its {self.notebook_timeout} s before "
                    f"{cell_name(cell, index)}; later cells were not run",
                )
                self.problems.append(stopped)
            if stopped is not None:
                cell.outputs = [error_output("NotRun", f"not run: {stopped.message}")]
                continue
            stopped = await self._run_cell(cell, index)
        self.set_widgets_metadata()
        return nb, self.problems

    async def _run_cell(self, cell, index):
        """Run one cell; return a Problem if no later cell can run, else None."""
        name = cell_name(cell, index)
        limit = self._cell_timeout(cell)
        timeout_name = self.error_on_timeout["ename"]
        try:
            await self.async_execute_cell(cell, index, store_history=True)
        except DeadKernelError:
            problem = Problem("kernel_died", f"the kernel died while running {name}")
            cell.outputs.append(
                error_output("KernelDied", "the kernel stopped while running this cell")
            )
            self.problems.append(problem)
            return problem
        except CellTimeoutError:
            # The kernel stayed busy after the cell's reply (an interrupt it ignored).
            if not any(_is_error(o, timeout_name) for o in cell.outputs):
                cell.outputs.append(error_output(timeout_name, "no reply from the kernel"))
        if any(_is_error(o, "MemoryError") for o in cell.outputs):
            self.problems.append(Problem("memory_error", f"{name} ran out of memory"))
        if any(_is_error(o, timeout_name) for o in cell.outputs):
            self.problems.append(Problem("cell_timeout", f"{name} timed out after {limit} s"))
            if not await self._answers(self.responsive_timeout):
                problem = Problem(
                    "kernel_unresponsive", f"the kernel did not recover after {name} timed out"
                )
                self.problems.append(problem)
                return problem
        return None

    def _cell_timeout(self, cell):
        left = self._deadline - monotonic()
        return max(1, int(min(self.timeout or left, left) + 0.999))

    async def _answers(self, timeout):
        """Whether the kernel replies to a ``kernel_info`` request within ``timeout`` s."""
        msg_id = await ensure_async(self.kc.kernel_info())
        deadline = monotonic() + timeout
        while (left := deadline - monotonic()) > 0:
            try:
                msg = await ensure_async(self.kc.shell_channel.get_msg(timeout=left))
            except Empty:
                return False
            if msg["parent_header"].get("msg_id") == msg_id:
                return True
        return False

    def output(self, outs, msg, display_id, cell_index):
        """Record an output unless the cell already printed more than it may."""
        if msg["msg_type"] != "error":
            used = self._output_bytes.get(cell_index, 0) + _size(msg["content"])
            self._output_bytes[cell_index] = used
            if used > self.max_output_bytes:
                if cell_index not in self._flooded:
                    self._stop_flood(outs, cell_index)
                return None
        return super().output(outs, msg, display_id, cell_index)

    def _stop_flood(self, outs, cell_index):
        self._flooded.add(cell_index)
        limit = f"{self.max_output_bytes / 1e6:g} MB"
        outs.append(error_output("OutputLimitExceeded", f"this cell printed more than {limit}"))
        name = cell_name(self.nb.cells[cell_index], cell_index)
        self.problems.append(
            Problem("output_flood", f"{name} printed more than {limit}; it was stopped")
        )
        asyncio.ensure_future(ensure_async(self.km.interrupt_kernel()))


def _is_error(output, ename):
    return output.get("output_type") == "error" and output.get("ename") == ename


def _size(content):
    return _MESSAGE_OVERHEAD + len(json.dumps(content, default=str))
