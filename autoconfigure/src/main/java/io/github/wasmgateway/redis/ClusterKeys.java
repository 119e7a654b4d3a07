package io.github.wasmgateway.redis;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.models.command.CommandDetail;
import io.lettuce.core.models.command.CommandDetailParser;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Which argument of a plugin's command is its first key, so that Lettuce sends the
 * command straight to the Redis Cluster node that serves the key's slot. Scripts and
 * functions name their keys after a count ({@code EVAL script 1 key arg}); every other
 * command's first key position comes from the cluster's own command table
 * ({@code COMMAND}, read once by Lettuce's {@link CommandDetailParser}). A command
 * without a known key position goes to any node and Lettuce follows the MOVED redirection
 * it may get.
 */
final class ClusterKeys {

	private static final Log logger = LogFactory.getLog(ClusterKeys.class);

	/** Commands whose second argument counts the keys that follow it. */
	private static final Set<String> KEY_COUNT_SECOND = Set.of("EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL",
			"FCALL_RO");

	/** Index among the arguments after the name, by upper-case command name. */
	private volatile Map<String, Integer> firstKeys = Map.of();

	/**
	 * Reads the command table from {@code connection}; completes when it is read or could
	 * not be (never exceptionally).
	 */
	@SuppressWarnings({ "unchecked", "rawtypes" }) // COMMAND's reply is read as strings
	CompletionStage<?> load(StatefulConnection<byte[], byte[]> connection, String target) {
		AsyncCommand<String, String, List<Object>> command = new AsyncCommand<>(new Command<>(CommandType.COMMAND,
				new ArrayOutput<>(StringCodec.UTF8), new CommandArgs<>(StringCodec.UTF8)));
		connection.dispatch((RedisCommand) command);
		return command.handle((table, failure) -> {
			if (failure != null) {
				logger.warn("Could not read the command table of Redis " + target + " (" + failure.getMessage()
						+ "); plugins' commands go to any node and follow its redirections");
				return null;
			}
			Map<String, Integer> keys = new HashMap<>();
			for (CommandDetail detail : CommandDetailParser.parse(table)) {
				boolean movable = detail.getFlags().contains(CommandDetail.Flag.MOVABLEKEYS);
				if (detail.getFirstKeyPosition() > 0 && !movable) {
					keys.put(detail.getName().toUpperCase(Locale.ROOT), detail.getFirstKeyPosition() - 1);
				}
			}
			this.firstKeys = keys;
			return null;
		});
	}

	/** The index of the request's first key among its arguments, or -1 for none. */
	int keyIndex(RedisRequest request) {
		String name = request.upperCaseName();
		List<byte[]> arguments = request.arguments();
		if (KEY_COUNT_SECOND.contains(name)) {
			return (arguments.size() > 2 && !isZero(arguments.get(1))) ? 2 : -1;
		}
		Integer index = this.firstKeys.get(name);
		return (index != null && index < arguments.size()) ? index : -1;
	}

	private static boolean isZero(byte[] count) {
		return new String(count, StandardCharsets.US_ASCII).trim().equals("0");
	}

}
