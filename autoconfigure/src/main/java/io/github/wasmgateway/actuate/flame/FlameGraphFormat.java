package io.github.wasmgateway.actuate.flame;

import org.springframework.boot.actuate.endpoint.Producible;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

/**
 * What {@code /actuator/wasmplugins/{name}/flamegraph} answers, chosen by the request's
 * {@code Accept}: a flame graph page for browsers (and for {@code *}{@code /*}), or the
 * collapsed stacks that flamegraph.pl and speedscope read.
 */
public enum FlameGraphFormat implements Producible<FlameGraphFormat> {

	/** A self-contained HTML flame graph. */
	HTML(MimeTypeUtils.TEXT_HTML),

	/** Collapsed stacks: {@code outer;inner;leaf count}, one stack a line. */
	COLLAPSED(MimeTypeUtils.TEXT_PLAIN);

	private final MimeType mimeType;

	FlameGraphFormat(MimeType mimeType) {
		this.mimeType = mimeType;
	}

	@Override
	public MimeType getProducedMimeType() {
		return this.mimeType;
	}

	@Override
	public boolean isDefault() {
		return this == HTML;
	}

}
