package io.github.wasmgateway.plugins;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Higress documents each plugin's configuration as YAML (the form its console and
 * WasmPlugin resources take); the tests paste those examples unchanged and hand the
 * plugin the JSON the gateway would.
 */
final class HigressExamples {

	private static final YAMLMapper YAML = YAMLMapper.builder().build();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private HigressExamples() {
	}

	static String yamlToJson(String yaml) {
		return JSON.writeValueAsString(YAML.readTree(yaml));
	}

}
