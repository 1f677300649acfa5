import typing

if typing.TYPE_CHECKING:
    from requests import Response


def status(response: "Response") -> typing.Optional[int]:
    return None
