"""A tiny PDF writer for tests: text placed at coordinates (Helvetica, any size, sub/superscripts by
size and baseline), rectangles, many pages, and the standard security handler (RC4, revision 2)
for a password-protected file. No third-party dependency."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Page", "write_pdf"]

_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for b in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(b ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _esc(text: str) -> bytes:
    raw = text.encode("latin-1", "replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


@dataclass
class Page:
    width: float = 595.0
    height: float = 842.0
    texts: list[tuple[float, float, float, str]] = field(default_factory=list)  # x, top, size, text
    rects: list[tuple[float, float, float, float]] = field(default_factory=list)

    def text(self, x: float, top: float, text: str, size: float = 9.0) -> "Page":
        self.texts.append((x, top, size, text))
        return self

    def content(self) -> bytes:
        parts = []
        for x, y, w, h in self.rects:
            parts.append(f"{x:.2f} {self.height - y - h:.2f} {w:.2f} {h:.2f} re f".encode())
        for x, top, size, text in self.texts:
            base = self.height - top - size
            parts.append(b"BT /F1 %.2f Tf %.2f %.2f Td (" % (size, x, base) + _esc(text) + b") Tj ET")
        return b"\n".join(parts)


def write_pdf(path: str | Path, pages: list[Page], user_password: str | None = None) -> Path:
    """Write ``pages``; with ``user_password`` the file is encrypted and needs it to open."""
    path = Path(path)
    file_id = hashlib.md5(str(path).encode()).digest()
    objects: list[bytes] = []
    n_pages = len(pages)
    # 1 catalog, 2 pages, 3 font, then per page: page object + content stream
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    key = None
    encrypt_obj = None
    if user_password is not None:
        perm = -4
        owner = (b"owner-" + user_password.encode())[:32]
        opad = (owner + _PAD)[:32]
        okey = hashlib.md5(opad).digest()[:5]
        upad = (user_password.encode() + _PAD)[:32]
        o_val = _rc4(okey, upad)
        h = hashlib.md5(upad + o_val + perm.to_bytes(4, "little", signed=True) + file_id)
        key = h.digest()[:5]
        u_val = _rc4(key, _PAD)
        encrypt_obj = (b"<< /Filter /Standard /V 1 /R 2 /O <" + o_val.hex().encode() + b"> /U <" + u_val.hex().encode()
                       + b"> /P " + str(perm).encode() + b" >>")
    for i, pg in enumerate(pages):
        num = 4 + 2 * i
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pg.width:.0f} {pg.height:.0f}] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {num + 1} 0 R >>".encode()
        )
        data = pg.content()
        if key is not None:
            okey2 = hashlib.md5(key + (num + 1).to_bytes(3, "little") + (0).to_bytes(2, "little")).digest()[:10]
            data = _rc4(okey2, data)
        objects.append(b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream")
    if encrypt_obj is not None:
        objects.append(encrypt_obj)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for k, body in enumerate(objects):
        offsets.append(len(out))
        out += f"{k + 1} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /ID [<{file_id.hex()}> <{file_id.hex()}>]"
    if encrypt_obj is not None:
        trailer += f" /Encrypt {len(objects)} 0 R"
    out += (trailer + f" >>\nstartxref\n{xref}\n%%EOF\n").encode()
    path.write_bytes(bytes(out))
    return path
