// Publicizer: copies an assembly with every type, method and field made public, so code that
// declares [IgnoresAccessChecksTo] can compile against ML.NET internals. Usage:
//   Publicizer <input.dll> <output.dll>
using Mono.Cecil;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Publicizer <input.dll> <output.dll>");
    return 2;
}

var input = Path.GetFullPath(args[0]);
var output = Path.GetFullPath(args[1]);
var resolver = new DefaultAssemblyResolver();
resolver.AddSearchDirectory(Path.GetDirectoryName(input)!);
using var assembly = AssemblyDefinition.ReadAssembly(input, new ReaderParameters { AssemblyResolver = resolver });

foreach (var type in assembly.MainModule.GetTypes())
{
    if (type.IsNested)
    {
        type.IsNestedPublic = true;
    }
    else
    {
        type.IsPublic = true;
    }

    foreach (var method in type.Methods)
    {
        method.IsPublic = true;
    }

    // Fields that back events share the event's name; making them public makes the two clash.
    var eventNames = new HashSet<string>(type.Events.Select(e => e.Name));
    foreach (var field in type.Fields)
    {
        if (!eventNames.Contains(field.Name))
        {
            field.IsPublic = true;
        }
    }
}

Directory.CreateDirectory(Path.GetDirectoryName(output)!);
assembly.Write(output);
return 0;
