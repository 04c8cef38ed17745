"""A UDP relay between one WebRTC client and the server's media port that drops a share
of the client's RTP packets (never STUN, DTLS or RTCP), to exercise NACK and RTX."""

from __future__ import annotations

import random
import socket
import threading


class LossyProxy:
    def __init__(self, server_port: int, loss: float, seed: int = 7) -> None:
        self.server = ("127.0.0.1", server_port)
        self.loss = loss
        self.random = random.Random(seed)
        self.front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.front.bind(("127.0.0.1", 0))
        self.back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.back.bind(("127.0.0.1", 0))
        self.port = self.front.getsockname()[1]
        self.client: tuple[str, int] | None = None
        self.dropped = 0
        self.forwarded = 0
        self.running = True
        self.threads = [threading.Thread(target=self._upstream, daemon=True), threading.Thread(target=self._downstream, daemon=True)]
        for thread in self.threads:
            thread.start()

    @staticmethod
    def is_rtp(data: bytes) -> bool:
        # RFC 7983: 128..191 is RTP/RTCP; RFC 5761: payload types 64..95 are RTCP.
        return len(data) >= 2 and 128 <= data[0] <= 191 and not (64 <= (data[1] & 0x7F) <= 95)

    def _upstream(self) -> None:
        self.front.settimeout(0.2)
        while self.running:
            try:
                data, address = self.front.recvfrom(4096)
            except (socket.timeout, OSError):
                continue
            self.client = address
            if self.is_rtp(data) and self.random.random() < self.loss:
                self.dropped += 1
                continue
            self.forwarded += 1
            self.back.sendto(data, self.server)

    def _downstream(self) -> None:
        self.back.settimeout(0.2)
        while self.running:
            try:
                data, _ = self.back.recvfrom(4096)
            except (socket.timeout, OSError):
                continue
            if self.client is not None:
                self.front.sendto(data, self.client)

    def close(self) -> None:
        self.running = False
        for thread in self.threads:
            thread.join(timeout=1)
        self.front.close()
        self.back.close()
