"""What every rule module raises when it refuses an action. Views show `message` to people;
the APIs answer with `code`, which machines read. Each area subclasses it (OrderError,
WorkError, PathwayError, …) so callers can catch exactly the refusals they expect."""


class RuleError(Exception):
    code = "refused"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
