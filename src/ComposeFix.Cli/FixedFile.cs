using ComposeFix.Engine;
using ComposeFix.IO;

namespace ComposeFix.Cli;

/// <summary>A file next to a compose file that a fix creates or appends to (a secret value, a .gitignore line).</summary>
/// <param name="Before">The bytes on disk before the run, or null when the file did not exist.</param>
/// <param name="Sensitive">It holds a secret value: it must never be committed or printed.</param>
public sealed record SideFile(string FullPath, string DisplayPath, byte[]? Before, byte[] After, UnixFileMode Mode, bool Sensitive);

/// <summary>What one run did to one compose file: the engine's result and, with --write, what was written (for `composefix pr`).</summary>
/// <param name="Written">True when --write replaced the compose file and its side files.</param>
public sealed record FixedFile(DiscoveredFile File, FileResult Result, IReadOnlyList<SideFile> SideFiles, bool Written);
