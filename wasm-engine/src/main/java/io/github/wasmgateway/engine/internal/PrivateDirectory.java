package io.github.wasmgateway.engine.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * A directory whose contents the gateway trusts (compiled classes, local copies of
 * plugins): created readable and writable by its owner only, and refused when another
 * user owns it or may write into it, since whoever can write there could put code into
 * the gateway. On a file system without POSIX permissions the checks are skipped.
 */
public final class PrivateDirectory {

	static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

	private PrivateDirectory() {
	}

	/**
	 * Opens {@code directory}, creating it owner-only when missing.
	 * @param what what the directory is for and the property that sets it, for the
	 * message
	 * @throws IllegalStateException when the directory is not safe, saying why and what
	 * to do
	 */
	public static Path open(Path directory, String what) {
		try {
			Path absolute = directory.toAbsolutePath();
			boolean posix = Files.getFileStore(existingAncestor(absolute))
				.supportsFileAttributeView(PosixFileAttributeView.class);
			if (!Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
				if (absolute.getParent() != null) {
					Files.createDirectories(absolute.getParent());
				}
				if (posix) {
					Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
				}
				else {
					Files.createDirectory(absolute);
				}
			}
			Path real = absolute.toRealPath();
			if (!Files.isDirectory(real)) {
				throw new IllegalStateException(
						"The " + what + " " + absolute + " is not a directory; point it at a directory.");
			}
			if (posix) {
				check(real, absolute, what);
			}
			return real;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot open the " + what + " " + directory + ": " + ex.getMessage(), ex);
		}
	}

	private static void check(Path real, Path configured, String what) throws IOException {
		PosixFileAttributes attributes = Files.readAttributes(real, PosixFileAttributes.class);
		UserPrincipal me = currentUser(real);
		if (!attributes.owner().equals(me)) {
			throw new IllegalStateException("The " + what + " " + configured + " belongs to "
					+ attributes.owner().getName() + ", not to " + me.getName() + " who runs the gateway; "
					+ "whoever owns it could put code into the gateway. Use a directory of your own.");
		}
		Set<PosixFilePermission> permissions = attributes.permissions();
		if (permissions.contains(PosixFilePermission.GROUP_WRITE)
				|| permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
			throw new IllegalStateException("The " + what + " " + configured + " is writable by other users ("
					+ PosixFilePermissions.toString(permissions) + "); whoever can write there could put code into "
					+ "the gateway. Make it owner-only (chmod 700 " + configured + ") or use another directory.");
		}
	}

	/**
	 * Who runs the gateway, as the file system names owners: the owner of a file made now
	 * (a name lookup fails where the user has no account entry, as in some containers).
	 */
	private static UserPrincipal currentUser(Path directory) throws IOException {
		Path probe;
		try {
			probe = Files.createTempFile(directory, ".owner", ".tmp");
		}
		catch (IOException ex) {
			throw new IllegalStateException("The directory " + directory + " cannot be written by the user running the "
					+ "gateway (" + ex.getMessage() + "); use a directory of your own.", ex);
		}
		try {
			return Files.getOwner(probe);
		}
		finally {
			Files.deleteIfExists(probe);
		}
	}

	private static Path existingAncestor(Path path) {
		Path candidate = path;
		while (candidate != null && !Files.exists(candidate)) {
			candidate = candidate.getParent();
		}
		return (candidate != null) ? candidate : path.getRoot();
	}

	/** Writes {@code bytes} to {@code file} readable by the owner only. */
	public static void writeOwnerOnly(Path file, byte[] bytes) throws IOException {
		Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
		try {
			Files.write(temporary, bytes);
			Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

}
