"""The installable web app: manifest, icons, the service worker at the site's root."""

import json
import re
from pathlib import Path

from django.contrib.staticfiles import finders
from PIL import Image

from tests.i18n import ja


def test_the_service_worker_is_served_from_the_root_with_its_shell(client):
    response = client.get("/sw.js")

    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "/static/css/engawa.css" in body
    assert "/static/js/phone.js" in body
    assert "/offline/" in body
    assert "__" not in re.sub(r"__proto__", "", body)


def test_the_manifest_names_the_app_and_its_icons_exist_at_their_sizes():
    manifest = json.loads(Path(finders.find("manifest.webmanifest")).read_text(encoding="utf-8"))

    assert manifest["start_url"] == "/today/"
    assert manifest["display"] == "standalone"
    sizes = {}
    for icon in manifest["icons"]:
        path = finders.find(icon["src"])
        assert path, icon["src"]
        if icon["type"] == "image/png":
            sizes[icon["sizes"]] = Image.open(path).size
    assert sizes == {"192x192": (192, 192), "512x512": (512, 512)}


def test_participant_pages_link_the_manifest_and_the_phone_script(sora, held_a):
    for url in ("/today/", f"/units/{held_a.pk}/", f"/units/{held_a.pk}/log/", "/record/"):
        html = sora.get(url).content.decode()
        assert 'rel="manifest" href="/static/manifest.webmanifest"' in html, url
        assert 'src="/static/js/phone.js"' in html, url


def test_the_offline_page_is_calm(client):
    response = client.get("/offline/")

    assert response.status_code == 200
    assert (
        ja(
            "Nothing is lost. Records you made are kept on this phone and sent when the "
            "connection returns."
        )
        in response.content.decode()
    )
