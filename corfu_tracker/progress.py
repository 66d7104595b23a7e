"""Progress of a long management command: a bar redrawn in place on a terminal, plain lines otherwise.

Plain lines (one per tenth of the work) keep logs and CI output readable, where a bar
redrawn with carriage returns would be one long garbled line.
"""

from django.core.management.base import OutputWrapper

BAR_WIDTH = 30
LINE_STEP_PERCENT = 10


class CommandProgress:
    """Call it with the number of items done so far; it writes to `out` (a command's `self.stdout`)."""

    def __init__(self, *, out: OutputWrapper, total: int, noun: str = "rows checked"):
        self.out = out
        self.total = max(total, 1)
        self.noun = noun
        self.on_terminal = out.isatty()
        self.done = 0
        self.next_line_percent = LINE_STEP_PERCENT

    def __call__(self, done: int) -> None:
        done = min(done, self.total)
        if done <= self.done:
            return  # the same count again (the end of a file whose size is a multiple of the step)
        self.done = done
        if self.on_terminal:
            self.out.write("\r" + self.bar(), ending="\n" if done == self.total else "")
            self.out.flush()
        elif self.percent() >= self.next_line_percent or done == self.total:
            self.out.write(self.line())
            self.next_line_percent = (self.percent() // LINE_STEP_PERCENT + 1) * LINE_STEP_PERCENT

    def percent(self) -> int:
        return self.done * 100 // self.total

    def line(self) -> str:
        return f"{self.done:,} of {self.total:,} {self.noun} ({self.percent()} %)"

    def bar(self) -> str:
        filled = self.done * BAR_WIDTH // self.total
        return f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {self.line()}"
