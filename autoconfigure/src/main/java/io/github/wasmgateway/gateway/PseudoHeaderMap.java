package io.github.wasmgateway.gateway;

import io.github.wasmgateway.engine.HeaderMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpHeaders;

/**
 * A {@link HeaderMap} view over Spring's {@link HttpHeaders} with pseudo-headers first.
 * Lookups by name go straight to the headers; the indexed form (for whole-map reads) is
 * built only when a plugin asks for it; the first edit copies the headers, so a plugin
 * that only reads costs no copy.
 */
abstract class PseudoHeaderMap implements HeaderMap {

	private HttpHeaders headers;

	private boolean copied;

	private List<String> names;

	private List<String> values;

	PseudoHeaderMap(HttpHeaders headers, boolean writable) {
		this.headers = headers;
		this.copied = writable;
	}

	/** The pseudo-header names this map carries, in order. */
	abstract String[] pseudoNames();

	abstract String pseudo(int index);

	abstract void setPseudo(int index, String value);

	HttpHeaders headers() {
		return this.headers;
	}

	private boolean editedFlag;

	/** Whether the plugin changed any header, pseudo-headers included. */
	boolean changed() {
		return this.editedFlag;
	}

	private HttpHeaders writable() {
		if (!this.copied) {
			this.headers = HttpHeaders.copyOf(this.headers);
			this.copied = true;
		}
		this.editedFlag = true;
		this.names = null;
		this.values = null;
		return this.headers;
	}

	private int pseudoIndex(String name) {
		if (name.isEmpty() || name.charAt(0) != ':') {
			return -1;
		}
		String[] pseudo = pseudoNames();
		for (int i = 0; i < pseudo.length; i++) {
			if (pseudo[i].equals(name)) {
				return i;
			}
		}
		return -1;
	}

	@Override
	public int size() {
		if (this.names != null) {
			return this.names.size();
		}
		int count = pseudoNames().length;
		for (Map.Entry<String, List<String>> entry : this.headers.headerSet()) {
			count += entry.getValue().size();
		}
		return count;
	}

	private void index() {
		if (this.names != null) {
			return;
		}
		List<String> names = new ArrayList<>();
		List<String> values = new ArrayList<>();
		String[] pseudo = pseudoNames();
		for (int i = 0; i < pseudo.length; i++) {
			names.add(pseudo[i]);
			values.add(pseudo(i));
		}
		for (Map.Entry<String, List<String>> entry : this.headers.headerSet()) {
			String name = entry.getKey().toLowerCase(Locale.ROOT);
			for (String value : entry.getValue()) {
				names.add(name);
				values.add(value);
			}
		}
		this.names = names;
		this.values = values;
	}

	@Override
	public String name(int index) {
		index();
		return this.names.get(index);
	}

	@Override
	public String value(int index) {
		index();
		return this.values.get(index);
	}

	@Override
	public String get(String name) {
		int pseudo = pseudoIndex(name);
		return (pseudo >= 0) ? pseudo(pseudo) : this.headers.getFirst(name);
	}

	@Override
	public void add(String name, String value) {
		int pseudo = pseudoIndex(name);
		if (pseudo >= 0) {
			writable();
			setPseudo(pseudo, value);
			return;
		}
		writable().add(name, value);
	}

	@Override
	public void set(String name, String value) {
		int pseudo = pseudoIndex(name);
		if (pseudo >= 0) {
			writable();
			setPseudo(pseudo, value);
			return;
		}
		writable().set(name, value);
	}

	@Override
	public void remove(String name) {
		if (pseudoIndex(name) >= 0) {
			// pseudo-headers cannot be removed, as in Envoy
			return;
		}
		if (this.headers.containsHeader(name)) {
			writable().remove(name);
		}
	}

	@Override
	public void clear() {
		writable().clear();
	}

}
