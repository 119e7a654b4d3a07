package io.github.wasmgateway.autoconfigure;

import io.micrometer.core.instrument.Tag;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a plugin's metric name into a meter name and tags, as Envoy's tag extraction does
 * for stats ({@code source/common/stats/tag_extractor_impl.cc}): each rule is a regex
 * searched in the whole name; its first group is cut from the name, its second group (or
 * the first, when there is one) is the tag's value; what is left once every rule has cut
 * its part is the meter's name. Rules run in order: the configured ones (Envoy's
 * {@code stats_tags}), then Envoy's defaults that apply to any stat
 * ({@code source/common/config/well_known_names.cc}: {@code envoy.response_code},
 * {@code envoy.response_code_class}), then, unless switched off, one for the
 * {@code _key=value} segments Go and Istio plugins put in their names (what Envoy needs a
 * {@code stats_tags} entry per key for).
 */
final class PluginMetricNames {

	/** {@code _key=value}: the value runs to the next {@code _key=} or the end. */
	private static final Pattern KEY_VALUE = Pattern
		.compile("(_([A-Za-z][A-Za-z0-9]*)=(.*?))(?=_[A-Za-z][A-Za-z0-9]*=|$)");

	private static final List<Rule> ENVOY_DEFAULTS = List.of(
			new Rule("envoy.response_code", Pattern.compile("_rq(_(\\d{3}))$")),
			new Rule("envoy.response_code_class", Pattern.compile("_rq_((\\d))xx$")));

	private final List<Rule> rules;

	private final boolean keyValueTags;

	PluginMetricNames(List<Rule> configured, boolean keyValueTags) {
		List<Rule> all = new ArrayList<>(configured);
		all.addAll(ENVOY_DEFAULTS);
		this.rules = List.copyOf(all);
		this.keyValueTags = keyValueTags;
	}

	/** The meter name and the tags found in {@code statName}. */
	Tagged extract(String statName) {
		BitSet cut = new BitSet(statName.length());
		List<Tag> tags = new ArrayList<>();
		for (Rule rule : this.rules) {
			Matcher match = rule.regex.matcher(statName);
			if (match.find() && match.groupCount() >= 1 && match.start(1) >= 0) {
				int valueGroup = (match.groupCount() >= 2 && match.start(2) >= 0) ? 2 : 1;
				tags.add(Tag.of(rule.tag, match.group(valueGroup)));
				cut.set(match.start(1), match.end(1));
			}
		}
		if (this.keyValueTags) {
			Matcher match = KEY_VALUE.matcher(statName);
			while (match.find()) {
				if (cut.get(match.start(1), match.end(1)).isEmpty()) {
					tags.add(Tag.of(match.group(2), match.group(3)));
					cut.set(match.start(1), match.end(1));
				}
			}
		}
		if (tags.isEmpty()) {
			return new Tagged(statName, List.of());
		}
		StringBuilder name = new StringBuilder(statName.length());
		for (int i = 0; i < statName.length(); i++) {
			if (!cut.get(i)) {
				name.append(statName.charAt(i));
			}
		}
		return new Tagged(name.toString(), List.copyOf(tags));
	}

	/** A configured extraction: the tag's name and its regex (Envoy's TagSpecifier). */
	record Rule(String tag, Pattern regex) {

		/**
		 * @throws IllegalArgumentException for a regex without a group to cut
		 */
		static Rule of(String tag, String regex) {
			Pattern pattern = Pattern.compile(regex);
			if (pattern.matcher("").groupCount() < 1) {
				throw new IllegalArgumentException("metric tag '" + tag + "': regex '" + regex
						+ "' has no group; its first group is the part cut from the name, as in Envoy's stats_tags");
			}
			return new Rule(tag, pattern);
		}

	}

	/** A meter name and the tags taken out of the metric's name. */
	record Tagged(String name, List<Tag> tags) {
	}

}
