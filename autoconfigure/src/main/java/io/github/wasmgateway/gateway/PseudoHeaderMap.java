package io.github.wasmgateway.gateway;

import io.github.wasmgateway.engine.HeaderMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpHeaders;

/**
 * A {@link HeaderMap} view of an exchange's headers with pseudo-headers first. Reads go
 * to the headers as they are (the native Netty headers when nothing stands between); the
 * indexed form (whole-map reads) is built only when a plugin asks for it; edits go to the
 * headers the subclass makes writable, in place.
 */
abstract class PseudoHeaderMap implements HeaderMap {

	/** The native headers, while they are the ones to read; else null. */
	private io.netty.handler.codec.http.HttpHeaders nettyHeaders;

	private HttpHeaders headers;

	/** Values in {@link #headers} when they are not native, -1 until counted. */
	private int count = -1;

	private String[] names;

	private String[] values;

	PseudoHeaderMap(io.netty.handler.codec.http.HttpHeaders nettyHeaders, HttpHeaders headers) {
		this.nettyHeaders = nettyHeaders;
		this.headers = headers;
	}

	/** How many pseudo-headers this map carries. */
	abstract int pseudoCount();

	abstract String pseudoName(int index);

	abstract String pseudo(int index);

	abstract void setPseudo(int index, String value);

	/**
	 * The headers edits go to (called before each edit). A subclass that returns other
	 * headers than those read so far calls {@link #readFrom} first.
	 */
	abstract HttpHeaders writableHeaders();

	/** From now on reads go to {@code headers}, which hold the same values. */
	void readFrom(HttpHeaders headers) {
		if (this.nettyHeaders != null) {
			this.count = this.nettyHeaders.size();
		}
		this.nettyHeaders = null;
		this.headers = headers;
	}

	HttpHeaders headers() {
		return this.headers;
	}

	private int pseudoIndex(String name) {
		if (name.isEmpty() || name.charAt(0) != ':') {
			return -1;
		}
		for (int i = 0, n = pseudoCount(); i < n; i++) {
			if (pseudoName(i).equals(name)) {
				return i;
			}
		}
		return -1;
	}

	private int valueCount() {
		if (this.nettyHeaders != null) {
			return this.nettyHeaders.size();
		}
		if (this.count < 0) {
			int values = 0;
			for (Map.Entry<String, List<String>> entry : this.headers.headerSet()) {
				values += entry.getValue().size();
			}
			this.count = values;
		}
		return this.count;
	}

	@Override
	public int size() {
		return pseudoCount() + valueCount();
	}

	private void index() {
		if (this.names != null) {
			return;
		}
		int size = size();
		String[] names = new String[size];
		String[] values = new String[size];
		int i = 0;
		for (; i < pseudoCount(); i++) {
			names[i] = pseudoName(i);
			values[i] = pseudo(i);
		}
		if (this.nettyHeaders != null) {
			Iterator<Map.Entry<CharSequence, CharSequence>> entries = this.nettyHeaders.iteratorCharSequence();
			while (entries.hasNext()) {
				Map.Entry<CharSequence, CharSequence> entry = entries.next();
				names[i] = entry.getKey().toString().toLowerCase(Locale.ROOT);
				values[i++] = entry.getValue().toString();
			}
		}
		else {
			for (Map.Entry<String, List<String>> entry : this.headers.headerSet()) {
				String name = entry.getKey().toLowerCase(Locale.ROOT);
				for (String value : entry.getValue()) {
					names[i] = name;
					values[i++] = value;
				}
			}
		}
		this.names = names;
		this.values = values;
	}

	@Override
	public String name(int index) {
		index();
		return this.names[index];
	}

	@Override
	public String value(int index) {
		index();
		return this.values[index];
	}

	@Override
	public String get(String name) {
		int pseudo = pseudoIndex(name);
		if (pseudo >= 0) {
			return pseudo(pseudo);
		}
		return (this.nettyHeaders != null) ? this.nettyHeaders.get(name) : this.headers.getFirst(name);
	}

	@Override
	public void add(String name, String value) {
		int pseudo = pseudoIndex(name);
		if (pseudo >= 0) {
			editPseudo(pseudo, value);
			return;
		}
		HttpHeaders writable = edit();
		writable.add(name, value);
		counted(1);
	}

	@Override
	public void set(String name, String value) {
		int pseudo = pseudoIndex(name);
		if (pseudo >= 0) {
			editPseudo(pseudo, value);
			return;
		}
		HttpHeaders writable = edit();
		counted(1 - existing(writable, name));
		writable.set(name, value);
	}

	@Override
	public void remove(String name) {
		if (pseudoIndex(name) >= 0 || get(name) == null) {
			// pseudo-headers cannot be removed, as in Envoy
			return;
		}
		HttpHeaders writable = edit();
		counted(-existing(writable, name));
		writable.remove(name);
	}

	@Override
	public void clear() {
		edit().clear();
		this.count = 0;
	}

	private void editPseudo(int index, String value) {
		setPseudo(index, value);
		this.names = null;
		this.values = null;
	}

	private HttpHeaders edit() {
		HttpHeaders writable = writableHeaders();
		this.names = null;
		this.values = null;
		return writable;
	}

	private static int existing(HttpHeaders headers, String name) {
		List<String> values = headers.get(name);
		return (values != null) ? values.size() : 0;
	}

	/** Keeps the count of Spring's headers current (native ones count themselves). */
	private void counted(int delta) {
		if (this.nettyHeaders == null && this.count >= 0) {
			this.count += delta;
		}
	}

}
