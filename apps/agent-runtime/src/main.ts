console.log('agent-runtime');
