"""Headers Django has no setting for. `Permissions-Policy` turns off browser features Engawa
never uses, so a script that got in anyway could not reach the camera, the microphone or the
phone's location (a participant's home). Photos come from the file picker, which the policy
does not govern; passkeys keep WebAuthn for this site only."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "autoplay=()",
        "camera=()",
        "display-capture=()",
        "encrypted-media=()",
        "fullscreen=(self)",
        "geolocation=()",
        "gyroscope=()",
        "magnetometer=()",
        "microphone=()",
        "midi=()",
        "payment=()",
        "usb=()",
        "screen-wake-lock=()",
        "xr-spatial-tracking=()",
        "publickey-credentials-get=(self)",
        "publickey-credentials-create=(self)",
    ]
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
