package dev.callbacks.demo.model;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.ai.chat.messages.AssistantMessage.ToolCall;
import org.springframework.ai.tool.definition.ToolDefinition;

/**
 * Writes tool calls as a real model does: the arguments go where the tool's JSON schema
 * wants them, so a tool with other parameter names still gets the flower and the stems.
 */
final class ToolCallJson {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private ToolCallJson() {
	}

	/**
	 * A call of a tool about a flower.
	 * @param id the call's id
	 * @param tool the tool, with its input schema
	 * @param flower the flower's name
	 * @param stems how many stems, {@code null} for none (also left out when the tool
	 * takes no number)
	 */
	static ToolCall toolCall(String id, ToolDefinition tool, String flower, @Nullable Integer stems) {
		Parameters parameters = Parameters.of(tool);
		Map<String, Object> arguments = new LinkedHashMap<>();
		arguments.put(parameters.flower(), flower);
		if (stems != null && parameters.stems() != null) {
			arguments.put(parameters.stems(), stems);
		}
		return new ToolCall(id, "function", tool.name(), JSON.writeValueAsString(arguments));
	}

	/**
	 * Where a tool wants its arguments. Like a real model, read the tool's JSON schema:
	 * the first string property takes the flower, the first numeric one the stems.
	 */
	private record Parameters(String flower, @Nullable String stems) {

		static Parameters of(ToolDefinition tool) {
			String flower = null;
			String stems = null;
			try {
				JsonNode properties = JSON.readTree(tool.inputSchema()).path("properties");
				for (Map.Entry<String, JsonNode> property : properties.properties()) {
					String type = property.getValue().path("type").asString("");
					if (flower == null && type.equals("string")) {
						flower = property.getKey();
					}
					else if (stems == null && (type.equals("integer") || type.equals("number"))) {
						stems = property.getKey();
					}
				}
			}
			catch (JacksonException ex) {
				// An unreadable schema: assume the parameter names of FlowerTools.
				return new Parameters("flower", "stems");
			}
			return new Parameters((flower != null) ? flower : "flower", stems);
		}

	}

}
