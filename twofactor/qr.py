"""QR codes drawn here, as inline SVG: the TOTP secret never leaves the server for a QR service."""

import xml.etree.ElementTree as ET

import qrcode
import qrcode.image.svg


def qr_svg(text: str, *, label: str) -> str:
    """An accessible inline <svg> of `text`, with a white background so any scanner reads it."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage, border=4)
    root = image.get_image()
    # Pixels rather than qrcode's millimetres, so the code is big enough to scan from a screen.
    root.set("width", "224")
    root.set("height", "224")
    root.set("role", "img")
    root.set("aria-label", label)
    root.set("class", "qr-code")
    for element in root.iter():
        element.attrib.pop("id", None)  # qrcode names its path "qr-path": ids must stay unique
    ET.register_namespace("", "http://www.w3.org/2000/svg")
    return ET.tostring(root, encoding="unicode")
