#!/usr/bin/env python3
"""podman-compose, with the two things Debian bookworm's 1.0.3 lacks.

run-matrix.sh runs podman-compose through this file. On 1.0.3 it
  - honours `network_mode: service:NAME` (compose spec; 1.0.3 passes the
    string to podman unchanged, which does not know it, and adds the
    default network as well, which podman refuses with "cannot set
    multiple networks without bridge network mode"): it becomes
    `--network container:<NAME's container>` with no other network;
  - drops the one-second sleep 1.0.3 puts after every podman command.
On any other version it runs podman-compose unchanged.
"""
import sys

import podman_compose as pc


def patch_1_0_3():
    get_net_args = pc.get_net_args
    assert_cnt_nets = pc.assert_cnt_nets
    container_to_args = pc.container_to_args
    podman_run = pc.Podman.run

    def net_args(compose, cnt):
        return [] if cnt.get("network_mode") else get_net_args(compose, cnt)

    def assert_nets(compose, cnt):
        if not cnt.get("network_mode"):
            assert_cnt_nets(compose, cnt)

    def to_args(compose, cnt, detached=True):
        mode = cnt.get("network_mode") or ""
        if mode.startswith("service:"):
            names = compose.container_names_by_service[mode[len("service:"):]]
            cnt = dict(cnt, network_mode="container:" + names[0])
        return container_to_args(compose, cnt, detached)

    def run(self, podman_args, cmd="", cmd_args=None, wait=True, sleep=1, obj=None):
        return podman_run(self, podman_args, cmd, cmd_args, wait, 0, obj)

    pc.get_net_args = net_args
    pc.assert_cnt_nets = assert_nets
    pc.container_to_args = to_args
    pc.Podman.run = run


if __name__ == "__main__":
    if pc.__version__ == "1.0.3":
        patch_1_0_3()
    sys.argv[0] = "podman-compose"
    sys.exit(pc.main())
