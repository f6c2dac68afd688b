package seeds

import _ "embed"

// DemoYAML is the bundled demo seeds file, seeds/demo.yaml: every source
// points at demosite on DemoBase, which the demo rewrites to wherever
// demosite really listens.
//
//go:embed demo.yaml
var DemoYAML []byte

// DemoBase is the demosite address that demo.yaml is written against.
const DemoBase = "http://127.0.0.1:8081"
