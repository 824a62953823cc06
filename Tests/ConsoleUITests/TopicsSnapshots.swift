/// The expected screens of `TopicsSnapshotTests`, checked by eye when they change.
extension TopicsSnapshotTests {
    static let list80 = #"""
        | mqtop  embedded · mqtt :1883 · redis (master, 1.2 MB)       ▂▃▅▇▆▄█ 1.4k msg/s |
        | node mqtop@devbox · connections 2 · in 4 msg/s · out 6 msg/s · subscriptions 5 |
        |┌ 5 Topics  4 · 2 msg/s · 32 msgs · by rate ───────────────────────────────────┐|
        |│ TOPIC                        MSGS   RATE   BYTES LAST QOS R PAYLOAD          │|
        |│▌demo/hello                     24  2.0/s   135 B   0s   0   msg 24           │|
        |│ home/garage/door                1      0     4 B   1m   2   open             │|
        |│ home/kitchen/light              5      0    20 B   1s   0                    │|
        |│ home/kitchen/temp               2      0    42 B   3s   1 R {"t":21.7,"unit"…│|
        |│                                                                              │|
        |│                                                                              │|
        |│                                                                              │|
        |│                                                                              │|
        |│                                                                              │|
        |│                                                                              │|
        |│                                                                              │|
        |│                                                                              │|
        |│                                                                              │|
        |│                                                                              │|
        |└──────────────────────────────────────────────────────────────────────────────┘|
        |┌ Events ──────────────────────────────────────────────────────────────────────┐|
        |│ 22:12:11  connect     设备-01 from 127.0.0.1:50412 (v5)                      │|
        |│ 22:12:09  subscribe   via mqtt_channel: cli-alpha alerts/# qos 2             │|
        |└──────────────────────────────────────────────────────────────────────────────┘|
        | ? help  Tab pane  / filter  P publish  S sort by count  T tree  q quit         |
        """#

    static let tree80 = #"""
        | mqtop  embedded · mqtt :1883 · redis (master, 1.2 MB)       ▂▃▅▇▆▄█ 1.4k msg/s |
        | node mqtop@devbox · connections 2 · in 4 msg/s · out 6 msg/s · subscriptions 5 |
        |┌ 5 Topics  4 · 2 msg/s · 32 msgs · by rate · tree ────────────────────────────┐|
        |│ TOPIC                        MSGS   RATE   BYTES LAST QOS R PAYLOAD          │|
        |│ ▸ demo                         24  2.0/s   135 B   0s                        │|
        |│▌▾ home                          8      0    66 B   1s                        │|
        |│   ▸ garage                      1      0     4 B   1m                        │|
        |│   ▸ kitchen                     7      0    62 B   1s                        │|
        |│                                                                              │|
        |│                                                                              │|
        |│                                                                              │|
        |│                                                                              │|
        |│                                                                              │|
        |│                                                                              │|
        |│                                                                              │|
        |│                                                                              │|
        |│                                                                              │|
        |│                                                                              │|
        |└──────────────────────────────────────────────────────────────────────────────┘|
        |┌ Events ──────────────────────────────────────────────────────────────────────┐|
        |│ 22:12:11  connect     设备-01 from 127.0.0.1:50412 (v5)                      │|
        |│ 22:12:09  subscribe   via mqtt_channel: cli-alpha alerts/# qos 2             │|
        |└──────────────────────────────────────────────────────────────────────────────┘|
        | ? help  Tab pane  / filter  P publish  S sort by count  T list  q quit         |
        """#

    static let tail80 = #"""
        | mqtop  embedded · mqtt :1883 · redis (master, 1.2 MB)       ▂▃▅▇▆▄█ 1.4k msg/s |
        |┌ Topic home/kitchen/temp · text ──────────────────────────────────────────────┐|
        |│ Topic       home/kitchen/temp                                                │|
        |│ Messages    2 · 0 msg/s                                                      │|
        |│ Bytes       42 B                                                             │|
        |│ Last seen   3s ago                                                           │|
        |│                                                                              │|
        |│ Last 2 messages, newest first                                                │|
        |│ 22:13:17.000  qos 1  retain  from dev-1  21 B  changed: t                    │|
        |│   content type: application/json                                             │|
        |│   user site: north                                                           │|
        |│   {"t":21.7,"unit":"C"}                                                      │|
        |│ 22:12:50.000  qos 1  from dev-1  21 B  first kept                            │|
        |│   {"t":21.5,"unit":"C"}                                                      │|
        |│                                                                              │|
        |│                                                                              │|
        |│                                                                              │|
        |│                                                                              │|
        |│                                                                              │|
        |│                                                                              │|
        |│                                                                              │|
        |│                                                                              │|
        |└──────────────────────────────────────────────────────────────────────────────┘|
        | Esc back  v text/json/hex  ↑↓ scroll  q quit                                   |
        """#

    static let list120 = #"""
        | mqtop  embedded · broker mqtt://127.0.0.1:1883 · redis unix:…/redis.sock (master, 1.2 MB)           ▂▃▅▇▆▄█ 1.4k msg/s |
        | node mqtop@devbox · up 12m · connections 2 · in 4 msg/s · out 6 msg/s · subscriptions 5 · retained 4 · dropped 0       |
        |┌ 5 Topics  4 · 2 msg/s · 32 msgs · by rate ───────────────────────────────────────────────────────────────────────────┐|
        |│ TOPIC                                                MSGS   RATE   BYTES LAST QOS R PAYLOAD                          │|
        |│▌demo/hello                                             24  2.0/s   135 B   0s   0   msg 24                           │|
        |│ home/garage/door                                        1      0     4 B   1m   2   open                             │|
        |│ home/kitchen/light                                      5      0    20 B   1s   0                                    │|
        |│ home/kitchen/temp                                       2      0    42 B   3s   1 R {"t":21.7,"unit":"C"}            │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |└──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────┘|
        |┌ Events ──────────────────────────────────────────────────────────────────────────────────────────────────────────────┐|
        |│ 22:12:11  connect     设备-01 from 127.0.0.1:50412 (v5)                                                              │|
        |│ 22:12:09  subscribe   via mqtt_channel: cli-alpha alerts/# qos 2                                                     │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |└──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────┘|
        | ? help  Tab pane  / filter  Enter detail  P publish  S sort by count  T tree  t theme  p pause  q quit                 |
        """#

    static let tree120 = #"""
        | mqtop  embedded · broker mqtt://127.0.0.1:1883 · redis unix:…/redis.sock (master, 1.2 MB)           ▂▃▅▇▆▄█ 1.4k msg/s |
        | node mqtop@devbox · up 12m · connections 2 · in 4 msg/s · out 6 msg/s · subscriptions 5 · retained 4 · dropped 0       |
        |┌ 5 Topics  4 · 2 msg/s · 32 msgs · by rate · tree ────────────────────────────────────────────────────────────────────┐|
        |│ TOPIC                                                MSGS   RATE   BYTES LAST QOS R PAYLOAD                          │|
        |│ ▸ demo                                                 24  2.0/s   135 B   0s                                        │|
        |│▌▾ home                                                  8      0    66 B   1s                                        │|
        |│   ▸ garage                                              1      0     4 B   1m                                        │|
        |│   ▸ kitchen                                             7      0    62 B   1s                                        │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |└──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────┘|
        |┌ Events ──────────────────────────────────────────────────────────────────────────────────────────────────────────────┐|
        |│ 22:12:11  connect     设备-01 from 127.0.0.1:50412 (v5)                                                              │|
        |│ 22:12:09  subscribe   via mqtt_channel: cli-alpha alerts/# qos 2                                                     │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |└──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────┘|
        | ? help  Tab pane  / filter  Enter detail  P publish  S sort by count  T list  t theme  p pause  q quit                 |
        """#

    static let tail120 = #"""
        | mqtop  embedded · broker mqtt://127.0.0.1:1883 · redis unix:…/redis.sock (master, 1.2 MB)           ▂▃▅▇▆▄█ 1.4k msg/s |
        |┌ Topic home/kitchen/temp · text ──────────────────────────────────────────────────────────────────────────────────────┐|
        |│ Topic       home/kitchen/temp                                                                                        │|
        |│ Messages    2 · 0 msg/s                                                                                              │|
        |│ Bytes       42 B                                                                                                     │|
        |│ Last seen   3s ago                                                                                                   │|
        |│                                                                                                                      │|
        |│ Last 2 messages, newest first                                                                                        │|
        |│ 22:13:17.000  qos 1  retain  from dev-1  21 B  changed: t                                                            │|
        |│   content type: application/json                                                                                     │|
        |│   user site: north                                                                                                   │|
        |│   {"t":21.7,"unit":"C"}                                                                                              │|
        |│ 22:12:50.000  qos 1  from dev-1  21 B  first kept                                                                    │|
        |│   {"t":21.5,"unit":"C"}                                                                                              │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |└──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────┘|
        | Esc back  v text/json/hex  ↑↓ scroll  q quit                                                                           |
        """#
}
